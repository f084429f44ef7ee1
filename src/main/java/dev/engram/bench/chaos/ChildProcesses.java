package dev.engram.bench.chaos;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The child processes of one chaos run. A JVM shutdown hook (registered on creation, removed by
 * {@link #close()}) kills every child still alive, so an interrupted run (Ctrl-C, an exception) leaves no
 * server behind. Thread-safe.
 */
public final class ChildProcesses implements AutoCloseable {
    private final Set<Process> alive = ConcurrentHashMap.newKeySet();
    private final Thread hook = new Thread(this::killAll, "chaos-cleanup");

    public ChildProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void add(Process p) {
        alive.add(p);
    }

    void remove(Process p) {
        alive.remove(p);
    }

    private void killAll() {
        for (Process p : alive) {
            p.destroyForcibly();
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        alive.clear();
    }

    /** Kills what is left and removes the hook. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs (or ran) anyway
        }
    }
}
