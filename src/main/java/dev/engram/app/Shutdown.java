package dev.engram.app;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waiting for an executor that was asked to {@linkplain ExecutorService#shutdown() shut down}. Never
 * {@code shutdownNow}: interrupting a thread inside a native (ONNX) call does not stop the call, and freeing
 * what it uses under it would crash the JVM.
 */
final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /** Whether {@code executor} terminated within {@code max}; keeps the interrupt flag if interrupted. */
    static boolean await(ExecutorService executor, Duration max, String what) {
        try {
            if (executor.awaitTermination(max.toMillis(), TimeUnit.MILLISECONDS)) return true;
            log.warn("{} threads still running {} ms after shutdown", what, max.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
