package dev.engram.memory.graph;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the LLM made of one snippet: its topics with one summary each. Immutable.
 *
 * @param snippet         the snippet
 * @param memories        one memory per topic that got a non-blank summary
 * @param topicsFound     topics the topic answer named (after parsing)
 * @param failedSummaries summary calls that failed
 */
record Extraction(Snippet snippet, List<TopicMemory> memories, int topicsFound, int failedSummaries) {
    Extraction {
        Objects.requireNonNull(snippet, "snippet");
        memories = List.copyOf(memories);
    }

    /**
     * A topic and its summary.
     *
     * @param messageIds the snippet messages the summary came from
     * @param createdAt  when the newest of them was said
     */
    record TopicMemory(String topic, String summary, List<Long> messageIds, Instant createdAt) {
        TopicMemory {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(summary, "summary");
            messageIds = List.copyOf(messageIds);
            Objects.requireNonNull(createdAt, "createdAt");
        }
    }
}
