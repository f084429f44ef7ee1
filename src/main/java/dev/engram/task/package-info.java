/**
 * The asynchronous memory task engine: sealed {@link dev.engram.task.MemoryTask} types, three lanes
 * (interactive, ingest, maintenance) with priority and aging, workers on virtual threads bounded by
 * permits, retries by rescheduling, per-attempt timeouts, single-flight retrieval in front of the cache its
 * owner supplies ({@link dev.engram.task.RetrieveCache}), follow-up tasks, a durable outbox with replay, and
 * status as records and Micrometer meters.
 *
 * <p>Public surface: {@link dev.engram.task.TaskEngine} (built by {@link dev.engram.task.TaskEngineBuilder}),
 * its settings ({@link dev.engram.task.TaskEngineSettings}, {@link dev.engram.task.TaskPolicy},
 * {@link dev.engram.task.PeriodicSchedule}), the handler ports ({@link dev.engram.task.TaskHandlers},
 * {@link dev.engram.task.TaskHandler}, {@link dev.engram.task.RetrieveHandler},
 * {@link dev.engram.task.TaskContext}, {@link dev.engram.task.RetrieveCache}), the time seam ({@link dev.engram.task.DelayScheduler}), the
 * reader of queued stores in outbox rows ({@link dev.engram.task.QueuedStores}, for forgetting) and the value types. Everything else is package-private. The engine knows nothing of what a memory is: handlers do.
 */
package dev.engram.task;
