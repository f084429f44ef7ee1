/**
 * Vector memory: in-process embeddings (ONNX models through LangChain4j) and one Lucene index of
 * messages and instant memories, searched by kNN ({@code vector}) and BM25 ({@code lexical}),
 * filtered by chat, with retention by age.
 *
 * <p>Public surface: the {@link dev.engram.memory.vector.Embedder} port and its ONNX
 * implementation {@link dev.engram.memory.vector.OnnxEmbedder}, the index
 * {@link dev.engram.memory.vector.LuceneMemoryIndex} (writer, sources, retention, rebuild),
 * {@link dev.engram.memory.vector.VectorSettings} and the small records the index reports. The
 * index is derived data: the database ({@code messages}, {@code memories}, {@code embeddings}) is
 * the source of truth, and a missing, corrupt or stale index is rebuilt from it when opened.
 */
package dev.engram.memory.vector;
