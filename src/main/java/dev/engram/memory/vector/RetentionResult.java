package dev.engram.memory.vector;

import java.time.Instant;

/**
 * What one {@link LuceneMemoryIndex#enforceRetention} pass removed.
 *
 * @param messagesRemoved    raw messages removed from the index (the message log keeps them)
 * @param memoriesRemoved    instant memories removed from the index
 * @param embeddingsRemoved  stored embedding rows deleted with them
 * @param messageCutoff      messages created before this instant were removed
 * @param memoryCutoff       memories created before this instant were removed
 */
public record RetentionResult(long messagesRemoved, long memoriesRemoved, long embeddingsRemoved,
                              Instant messageCutoff, Instant memoryCutoff) {
}
