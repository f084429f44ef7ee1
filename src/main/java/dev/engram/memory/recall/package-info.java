/**
 * Recall for the reply path: every memory source in parallel under one deadline, fused by weighted
 * reciprocal-rank fusion, de-duplicated, without the current turn, within a token budget, with the
 * fallback chain fused ▸ partial ▸ cached ▸ empty. Never throws, never waits past its deadline.
 *
 * <ul>
 *   <li>{@link dev.engram.memory.recall.FusedRecall}: fusion under a deadline.</li>
 *   <li>{@link dev.engram.memory.recall.RecallCache}: the one recall cache (reply results, fallbacks,
 *       prefetched LLM memories), invalidated per chat on every change.</li>
 *   <li>{@link dev.engram.memory.recall.LlmRecall}: LLM-assisted recall ({@code off | inline | prefetch},
 *       {@link dev.engram.memory.recall.LlmRecallMode}).</li>
 *   <li>{@link dev.engram.memory.recall.RecallSettings}, {@link dev.engram.memory.recall.RecallQuery},
 *       {@link dev.engram.memory.recall.TokenEstimator}.</li>
 * </ul>
 */
package dev.engram.memory.recall;
