package dev.engram.memory.vector;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the index records in each commit (Lucene commit user data): the schema version, the model
 * its vectors came from, and the highest message and memory ids it held at that commit.
 */
record IndexState(int schema, String modelId, int dims, long maxMessageId, long maxMemoryId) {
    /** Bump when documents change shape; an index of another schema is rebuilt. */
    static final int SCHEMA = 1;

    private static final String P = "engram.";

    static Optional<IndexState> from(Iterable<Map.Entry<String, String>> commitData) {
        Map<String, String> m = new HashMap<>();
        if (commitData != null) commitData.forEach(e -> m.put(e.getKey(), e.getValue()));
        try {
            return Optional.of(new IndexState(Integer.parseInt(m.get(P + "schema")), m.get(P + "model"),
                    Integer.parseInt(m.get(P + "dims")), Long.parseLong(m.get(P + "max_message_id")),
                    Long.parseLong(m.get(P + "max_memory_id"))));
        } catch (NumberFormatException e) { // includes absent keys (parseInt(null))
            return Optional.empty();
        }
    }

    Map<String, String> toCommitData() {
        return Map.of(P + "schema", Integer.toString(schema), P + "model", modelId, P + "dims", Integer.toString(dims),
                P + "max_message_id", Long.toString(maxMessageId), P + "max_memory_id", Long.toString(maxMemoryId));
    }

    /** Why an index in this state cannot serve {@code embedder}, or empty when it can. */
    Optional<String> mismatch(Embedder embedder) {
        if (schema != SCHEMA) return Optional.of("schema changed: " + schema + " -> " + SCHEMA);
        if (!embedder.modelId().equals(modelId) || embedder.dimensions() != dims) {
            return Optional.of("model changed: " + modelId + "/" + dims + " -> " + embedder.modelId() + "/"
                    + embedder.dimensions());
        }
        return Optional.empty();
    }
}
