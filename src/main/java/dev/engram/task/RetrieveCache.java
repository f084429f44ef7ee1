package dev.engram.task;

/**
 * The retrieval cache the engine consults before it runs a retrieval, supplied by the layer that owns the
 * result type (the engine keeps lanes, deadlines and single-flight; what is cached, for how long, and when
 * it goes stale is the owner's). Every chat has a version that changes whenever its memory changes: the
 * engine never lets a retrieval started at one version share a flight with, or be cached for, another.
 * Implementations are thread-safe and never block.
 *
 * @param <R> the retrieval's result type
 */
public interface RetrieveCache<R> {
    /** The chat's current version. */
    long version(String chatId);

    /** A cached result for this retrieval at the chat's current version, or {@code null}. */
    R get(MemoryTask.Retrieve task);

    /**
     * Offers the shared result of a retrieval started at {@code version}; ignored if the chat changed since
     * or the result is not worth serving again.
     */
    void put(MemoryTask.Retrieve task, long version, R result);

    /** Entries and hit counts, for the engine's status and meters. */
    EngineStatus.CacheStatus status();

    /** No cache: every retrieval runs, every chat stays at version 0. */
    static <R> RetrieveCache<R> none() {
        return new RetrieveCache<>() {
            @Override
            public long version(String chatId) {
                return 0;
            }

            @Override
            public R get(MemoryTask.Retrieve task) {
                return null;
            }

            @Override
            public void put(MemoryTask.Retrieve task, long version, R result) {
            }

            @Override
            public EngineStatus.CacheStatus status() {
                return new EngineStatus.CacheStatus(0, 0, 0, 0, 0);
            }
        };
    }
}
