package dev.engram.model;

import java.util.List;
import java.util.Objects;

/** The result of one recall: memories best first, and how the recall ended. */
public record Recall(List<Memory> memories, RecallStatus status) {
    public Recall {
        memories = List.copyOf(memories);
        Objects.requireNonNull(status, "status");
    }

    public static Recall empty(RecallStatus status) {
        return new Recall(List.of(), status);
    }
}
