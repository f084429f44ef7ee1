package dev.engram.memory.vector;

/**
 * What {@link LuceneMemoryIndex#follow} did.
 *
 * @param indexed  documents written (new or re-written)
 * @param removed  documents removed (forgotten, deleted, superseded, no longer memorable)
 * @param waiting  items left out for now: stored but no vector stored yet (the change storing it follows)
 * @param reused   vectors read from the embeddings table
 * @param computed vectors computed here (none was stored for this instance's model)
 */
public record FollowResult(int indexed, int removed, int waiting, int reused, int computed) {
    /** Nothing done. */
    public static final FollowResult NONE = new FollowResult(0, 0, 0, 0, 0);

    public FollowResult plus(FollowResult o) {
        return new FollowResult(indexed + o.indexed, removed + o.removed, waiting + o.waiting, reused + o.reused,
                computed + o.computed);
    }
}
