package dev.engram.task;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A unit of memory work for the {@link TaskEngine}. The set of task types is closed: adding one breaks
 * every exhaustive {@code switch} over it until the new type is handled. All implementations are
 * immutable records.
 */
public sealed interface MemoryTask
        permits MemoryTask.Store, MemoryTask.Retrieve, MemoryTask.Build, MemoryTask.Forget, MemoryTask.Consolidate,
        MemoryTask.Prefetch {

    /** The kind of this task. */
    TaskType type();

    /**
     * Memorise content of a chat (durable; FIFO per chat).
     *
     * @param messageIds ids of the logged messages the content came from (provenance), may be empty
     */
    record Store(String chatId, String content, List<Long> messageIds) implements MemoryTask {
        public Store {
            requireText(chatId, "chatId");
            Objects.requireNonNull(content, "content");
            messageIds = List.copyOf(messageIds);
        }

        /** Content with no provenance (e.g. the API's {@code POST /api/memory}). */
        public Store(String chatId, String content) {
            this(chatId, content, List.of());
        }

        @Override
        public TaskType type() {
            return TaskType.STORE;
        }
    }

    /**
     * Recall memories of a chat for a reply (interactive lane; never persisted).
     *
     * @param excludeMessages ids of the current turn's messages, which must not be recalled
     * @param deadline        when the caller stops waiting; the attempt is cut off there
     * @param limit           results wanted at most; 0 for the handler's default. Retrievals differing only
     *                        in their limit never share a result
     */
    record Retrieve(String chatId, String query, Set<Long> excludeMessages, Instant deadline, int limit)
            implements MemoryTask {
        public Retrieve {
            requireText(chatId, "chatId");
            Objects.requireNonNull(query, "query");
            excludeMessages = Set.copyOf(excludeMessages);
            Objects.requireNonNull(deadline, "deadline");
            if (limit < 0) throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }

        /** A retrieval with the handler's default limit. */
        public Retrieve(String chatId, String query, Set<Long> excludeMessages, Instant deadline) {
            this(chatId, query, excludeMessages, deadline, 0);
        }

        @Override
        public TaskType type() {
            return TaskType.RETRIEVE;
        }
    }

    /** Build long-term memory from recent history (durable; maintenance lane). */
    record Build() implements MemoryTask {
        @Override
        public TaskType type() {
            return TaskType.BUILD;
        }
    }

    /** Forget weak memories (maintenance lane; re-submitted by the periodic timer, so not persisted). */
    record Forget() implements MemoryTask {
        @Override
        public TaskType type() {
            return TaskType.FORGET;
        }
    }

    /** Merge similar memories (maintenance lane; re-submitted by the periodic timer, so not persisted). */
    record Consolidate() implements MemoryTask {
        @Override
        public TaskType type() {
            return TaskType.CONSOLIDATE;
        }
    }

    /**
     * Prepare a chat's next recall from its recent content (ingest lane, after the chat's earlier stores;
     * low priority; never persisted: losing one only costs the next turn its head start).
     */
    record Prefetch(String chatId, String content) implements MemoryTask {
        public Prefetch {
            requireText(chatId, "chatId");
            Objects.requireNonNull(content, "content");
        }

        @Override
        public TaskType type() {
            return TaskType.PREFETCH;
        }
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }
}
