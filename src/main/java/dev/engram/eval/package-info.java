/**
 * Recall evaluation ({@code engram eval}): LoCoMo-format conversations are ingested into an
 * {@link dev.engram.eval.EvalTarget}, every question is asked per source set, and recall@5/10/20,
 * hit@10 and all@10 (categories 1–4 overall, 5 apart), latency percentiles, injected tokens and
 * time-to-visibility are reported as a table and as JSON ({@link dev.engram.eval.EvalReport}).
 * The metric definitions are those of {@code shared/data/README.md} ({@link dev.engram.eval.RecallMetrics}).
 * Not needed at run time by {@code serve}.
 */
package dev.engram.eval;
