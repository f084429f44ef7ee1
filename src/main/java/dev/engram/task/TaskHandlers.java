package dev.engram.task;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.Recall;
import dev.engram.memory.RecallService;
import dev.engram.memory.RecallStatus;

/**
 * The handler of every task type. Types without a registered handler get a no-op that logs at debug
 * (the memory issues register the real ones). Immutable and thread-safe.
 */
public final class TaskHandlers {
    private static final Logger log = LoggerFactory.getLogger(TaskHandlers.class);

    private final TaskHandler<MemoryTask.Store> store;
    private final RetrieveHandler retrieve;
    private final TaskHandler<MemoryTask.Build> build;
    private final TaskHandler<MemoryTask.Forget> forget;
    private final TaskHandler<MemoryTask.Consolidate> consolidate;

    private TaskHandlers(Builder b) {
        this.store = b.store;
        this.retrieve = b.retrieve;
        this.build = b.build;
        this.forget = b.forget;
        this.consolidate = b.consolidate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No-op handlers for every type; retrieval answers an empty, complete recall. */
    public static TaskHandlers noOp() {
        return builder().build();
    }

    /** Runs the handler of the task's type; the value is the retrieval's {@link Recall}, else {@code null}. */
    Object invoke(MemoryTask task, TaskContext context) throws Exception {
        switch (task) {
            case MemoryTask.Store s -> store.handle(s, context);
            case MemoryTask.Retrieve r -> {
                return retrieve.retrieve(r, context);
            }
            case MemoryTask.Build b -> build.handle(b, context);
            case MemoryTask.Forget f -> forget.handle(f, context);
            case MemoryTask.Consolidate c -> consolidate.handle(c, context);
        }
        return null;
    }

    private static <T extends MemoryTask> TaskHandler<T> noOp(String what) {
        return (task, context) -> log.debug("no {} handler registered yet; task {} done without work", what,
                context.taskId());
    }

    /** Registers handlers; unset types keep their no-op. Not thread-safe. */
    public static final class Builder {
        private TaskHandler<MemoryTask.Store> store = noOp("store");
        private RetrieveHandler retrieve = (task, context) -> Recall.empty(RecallStatus.OK);
        private TaskHandler<MemoryTask.Build> build = noOp("build");
        private TaskHandler<MemoryTask.Forget> forget = noOp("forget");
        private TaskHandler<MemoryTask.Consolidate> consolidate = noOp("consolidate");

        private Builder() {
        }

        public Builder onStore(TaskHandler<MemoryTask.Store> handler) {
            this.store = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder onRetrieve(RetrieveHandler handler) {
            this.retrieve = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Answers retrievals with local recall. */
        public Builder onRetrieve(RecallService service) {
            Objects.requireNonNull(service, "service");
            return onRetrieve((task, context) ->
                    service.recall(task.chatId(), task.query(), task.excludeMessages(), task.deadline()));
        }

        public Builder onBuild(TaskHandler<MemoryTask.Build> handler) {
            this.build = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder onForget(TaskHandler<MemoryTask.Forget> handler) {
            this.forget = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder onConsolidate(TaskHandler<MemoryTask.Consolidate> handler) {
            this.consolidate = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public TaskHandlers build() {
            return new TaskHandlers(this);
        }
    }
}
