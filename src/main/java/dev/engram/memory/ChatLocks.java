package dev.engram.memory;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-chat mutual exclusion between a chat's store tasks and the operations that delete from it (forgetting a
 * speaker or a chat, deleting a memory): a store never runs half before and half after a deletion, so it can
 * neither re-create what was just forgotten nor leave an index document behind. Striped (a fixed number of
 * locks chosen by the chat id's hash): two chats may share a lock, which only costs them parallelism. The
 * engine already runs each chat's stores one at a time, so stores of one chat never wait for each other here.
 * Thread-safe; locks are reentrant.
 */
public final class ChatLocks {
    private final ReentrantLock[] stripes;

    /** @param stripes number of locks (&gt;= 1) */
    public ChatLocks(int stripes) {
        if (stripes < 1) throw new IllegalArgumentException("stripes must be >= 1, was " + stripes);
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) this.stripes[i] = new ReentrantLock();
    }

    /** Runs {@code work} holding the chat's lock; waits for the lock interruptibly. */
    public <T> T call(String chatId, Callable<T> work) throws Exception {
        ReentrantLock lock = stripes[Math.floorMod(Objects.requireNonNull(chatId, "chatId").hashCode(), stripes.length)];
        lock.lockInterruptibly();
        try {
            return work.call();
        } finally {
            lock.unlock();
        }
    }

    /** Work under a chat's lock that may fail with an {@link IOException} (index writes). */
    @FunctionalInterface
    public interface IoWork<T> {
        T call() throws IOException;
    }

    /**
     * {@link #call} for index work: its {@link IOException} and runtime exceptions pass unchanged; an interrupt
     * while waiting for the lock becomes an {@link IOException} (the interrupt flag is set again).
     */
    public <T> T callIo(String chatId, IoWork<T> work) throws IOException {
        try {
            return call(chatId, work::call);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock of chat " + chatId, e);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }
}
