package dev.engram.memory.graph;

/**
 * Told about every progress change of a build, on the build's thread. Must be quick; exceptions are
 * logged and ignored.
 */
@FunctionalInterface
public interface BuildProgressListener {
    /** A listener that does nothing. */
    BuildProgressListener NONE = progress -> { };

    void onProgress(BuildProgress progress);
}
