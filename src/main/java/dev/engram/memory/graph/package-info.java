/**
 * Graph long-term memory, the original's "hippocampus" (reference/original-system.md §2.3–2.4) with its
 * defects D-H1…D-H10 fixed: concepts linked by co-occurrence and similarity, each holding one-sentence
 * memories of the chats they came from.
 *
 * <p>Public surface: {@link dev.engram.memory.graph.GraphMemory} (open, build, forget, consolidate,
 * remember, status, activated subgraph), {@link dev.engram.memory.graph.GraphSettings},
 * {@link dev.engram.memory.graph.GraphSource} (the {@code graph} recall source),
 * {@link dev.engram.memory.graph.GraphIndexWriter} (store path), the immutable
 * {@link dev.engram.memory.graph.GraphSnapshot} with its node / item / edge records, and the report and
 * status records. Everything else is package-private.
 *
 * <p>Concurrency model: readers see immutable snapshots swapped in atomically after each write; one
 * writer lock, held only for one database transaction at a time (never across an LLM call), orders all
 * writes; build, forget and consolidate additionally run one at a time. Persistence is incremental
 * (one transaction per build step) through {@link dev.engram.store.GraphRepository}.
 */
package dev.engram.memory.graph;
