package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * An undirected link between two concepts, always in canonical order ({@code a < b}). Immutable.
 *
 * @param a            the smaller node id
 * @param b            the larger node id
 * @param strength     how often the concepts were seen together (or how similar they are), &gt; 0
 * @param createdAt    when the link was first made; never reset
 * @param lastModified when it was last strengthened or weakened
 */
public record GraphEdge(long a, long b, int strength, Instant createdAt, Instant lastModified) {
    public GraphEdge {
        if (a >= b) throw new IllegalArgumentException("edge must be canonical (a < b), was " + a + "-" + b);
        if (strength <= 0) throw new IllegalArgumentException("strength must be > 0, was " + strength);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastModified, "lastModified");
    }

    /** The edge between {@code x} and {@code y} in canonical order. */
    static GraphEdge between(long x, long y, int strength, Instant createdAt, Instant lastModified) {
        return new GraphEdge(Math.min(x, y), Math.max(x, y), strength, createdAt, lastModified);
    }

    /** The endpoint that is not {@code id}. */
    public long other(long id) {
        return id == a ? b : a;
    }

    GraphEdge withStrength(int newStrength, Instant now) {
        return new GraphEdge(a, b, newStrength, createdAt, now);
    }
}
