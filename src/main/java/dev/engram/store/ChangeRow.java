package dev.engram.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the change feed ({@code change_log}): a committed change an instance's local index, graph snapshot
 * or recall cache must follow.
 *
 * @param seq    position in the feed (allocated in order, committed possibly out of order)
 * @param kind   what changed
 * @param chatId the chat, empty for a change of the whole graph (nodes, edges)
 * @param refId  the message or memory id ({@code 0} for graph changes)
 * @param origin the instance that wrote it, empty outside a cluster
 * @param at     when it was written (database clock)
 */
public record ChangeRow(long seq, Kind kind, Optional<String> chatId, long refId, Optional<String> origin, Instant at) {
    /** Kinds of change, by their stored name. */
    public enum Kind {
        /** A message was added, edited, marked forgotten or deleted. */
        MESSAGE("message"),
        /** A memory was added, edited, superseded (or revived), pinned or deleted. */
        MEMORY("memory"),
        /** A message's vector was stored. */
        EMBEDDING_MESSAGE("embedding_message"),
        /** A memory's vector was stored. */
        EMBEDDING_MEMORY("embedding_memory"),
        /** The graph changed (an item of the chat, or nodes and edges). */
        GRAPH("graph"),
        /** A kind this version does not know (written by a newer one); ignored. */
        OTHER("other");

        private final String wire;

        Kind(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The kind stored as {@code wire}, {@link #OTHER} when unknown. */
        public static Kind of(String wire) {
            for (Kind k : values()) if (k.wire.equals(wire)) return k;
            return OTHER;
        }
    }

    public ChangeRow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(chatId, "chatId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(at, "at");
    }
}
