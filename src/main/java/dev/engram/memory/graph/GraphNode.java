package dev.engram.memory.graph;

import java.time.Instant;
import java.util.Objects;

/**
 * A concept of the graph. Immutable.
 *
 * @param id           database id
 * @param concept      the concept as first written (its identity is {@code concept} normalised)
 * @param createdAt    when it was created
 * @param lastModified when an item was last added to it or dropped from it (forgetting starts from here)
 */
public record GraphNode(long id, String concept, Instant createdAt, Instant lastModified) {
    public GraphNode {
        Objects.requireNonNull(concept, "concept");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastModified, "lastModified");
        if (concept.isBlank()) throw new IllegalArgumentException("concept must not be blank");
    }

    GraphNode touched(Instant now) {
        return new GraphNode(id, concept, createdAt, now);
    }
}
