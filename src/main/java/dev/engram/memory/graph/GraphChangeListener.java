package dev.engram.memory.graph;

import java.util.Set;

/**
 * Told after every published change of the graph, e.g. to invalidate cached recalls of the chats that
 * changed. Called on the writer's thread after the writer lock is released; must be quick and must not
 * throw (exceptions are logged and ignored).
 */
@FunctionalInterface
public interface GraphChangeListener {
    /** A listener that does nothing. */
    GraphChangeListener NONE = (version, chats) -> { };

    /**
     * @param version the published snapshot's version
     * @param chatIds chats whose items were added, changed or removed (edge changes affect every chat's
     *                activation and are not listed)
     */
    void graphChanged(long version, Set<String> chatIds);
}
