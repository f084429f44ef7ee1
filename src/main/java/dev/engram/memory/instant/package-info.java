/**
 * Instant memory: an LLM (or the offline provider) judges whether the recent chat holds something
 * worth remembering and writes a memory text with keywords; recall finds memories by keywords and a
 * time range parsed from the query. The original's {@code instant_memory.py}, with its defects fixed
 * (strict judgement, JSON storage, de-duplication, ranked and limited recall, real time ranges).
 *
 * <ul>
 *   <li>{@link dev.engram.memory.instant.InstantMemoryWriter}: decide, extract, de-duplicate, store (task engine only).</li>
 *   <li>{@link dev.engram.memory.instant.InstantSource}: the {@code instant} recall source, no LLM.</li>
 *   <li>{@link dev.engram.text.TimeExpressions} / {@link dev.engram.text.TimeRange} (in {@code text}): 今天 / 昨天 /
 *       N天前 / N个月前 / dates, Chinese and English, relative to a given {@code now}.</li>
 * </ul>
 */
package dev.engram.memory.instant;
