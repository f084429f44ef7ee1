package dev.engram.task;

import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * The handler of every task type. Types without a registered handler get a no-op that logs at debug;
 * an unregistered retrieval answers the policy's empty result. Immutable and thread-safe.
 *
 * @param <R> the retrieval's result type
 */
public final class TaskHandlers<R> {
    private static final Logger log = LoggerFactory.getLogger(TaskHandlers.class);

    private final TaskHandler<MemoryTask.Store> store;
    private final RetrieveHandler<R> retrieve;
    private final TaskHandler<MemoryTask.Build> build;
    private final TaskHandler<MemoryTask.Forget> forget;
    private final TaskHandler<MemoryTask.Consolidate> consolidate;
    private final TaskHandler<MemoryTask.Prefetch> prefetch;

    private TaskHandlers(Builder<R> b) {
        this.store = b.store;
        this.retrieve = b.retrieve;
        this.build = b.build;
        this.forget = b.forget;
        this.consolidate = b.consolidate;
        this.prefetch = b.prefetch;
    }

    public static <R> Builder<R> builder() {
        return new Builder<>();
    }

    /** No-op handlers for every type; retrieval answers {@code null} (the policy's empty result). */
    public static <R> TaskHandlers<R> noOp() {
        return TaskHandlers.<R>builder().build();
    }

    /**
     * Handlers that run {@code target}'s: for an engine built before the parts its handlers need (a server takes
     * durable intake while it loads). {@code target} must answer before the engine is started.
     */
    public static <R> TaskHandlers<R> deferred(Supplier<TaskHandlers<R>> target) {
        Objects.requireNonNull(target, "target");
        return TaskHandlers.<R>builder()
                .onStore((task, context) -> target.get().store.handle(task, context))
                .onRetrieve((task, context) -> target.get().retrieve.retrieve(task, context))
                .onBuild((task, context) -> target.get().build.handle(task, context))
                .onForget((task, context) -> target.get().forget.handle(task, context))
                .onConsolidate((task, context) -> target.get().consolidate.handle(task, context))
                .onPrefetch((task, context) -> target.get().prefetch.handle(task, context))
                .build();
    }

    /** Runs the handler of the task's type; the value is the retrieval's result, else {@code null}. */
    Object invoke(MemoryTask task, TaskContext context) throws Exception {
        switch (task) {
            case MemoryTask.Store s -> store.handle(s, context);
            case MemoryTask.Retrieve r -> {
                return retrieve.retrieve(r, context);
            }
            case MemoryTask.Build b -> build.handle(b, context);
            case MemoryTask.Forget f -> forget.handle(f, context);
            case MemoryTask.Consolidate c -> consolidate.handle(c, context);
            case MemoryTask.Prefetch p -> prefetch.handle(p, context);
        }
        return null;
    }

    private static <T extends MemoryTask> TaskHandler<T> noOp(String what) {
        return (task, context) -> log.debug("no {} handler registered yet; task {} done without work", what,
                context.taskId());
    }

    /** Registers handlers; unset types keep their no-op. Not thread-safe. */
    public static final class Builder<R> {
        private TaskHandler<MemoryTask.Store> store = noOp("store");
        private RetrieveHandler<R> retrieve = (task, context) -> null;
        private TaskHandler<MemoryTask.Build> build = noOp("build");
        private TaskHandler<MemoryTask.Forget> forget = noOp("forget");
        private TaskHandler<MemoryTask.Consolidate> consolidate = noOp("consolidate");
        private TaskHandler<MemoryTask.Prefetch> prefetch = noOp("prefetch");

        private Builder() {
        }

        public Builder<R> onStore(TaskHandler<MemoryTask.Store> handler) {
            this.store = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<R> onRetrieve(RetrieveHandler<R> handler) {
            this.retrieve = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<R> onBuild(TaskHandler<MemoryTask.Build> handler) {
            this.build = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<R> onForget(TaskHandler<MemoryTask.Forget> handler) {
            this.forget = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<R> onConsolidate(TaskHandler<MemoryTask.Consolidate> handler) {
            this.consolidate = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder<R> onPrefetch(TaskHandler<MemoryTask.Prefetch> handler) {
            this.prefetch = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public TaskHandlers<R> build() {
            return new TaskHandlers<>(this);
        }
    }
}
