/**
 * The language-model port and its implementations.
 *
 * <ul>
 *   <li>{@link dev.engram.llm.LlmClient}: the port; {@link dev.engram.llm.offline.OfflineLlmClient} (default, local
 *       algorithms, no network) and {@link dev.engram.llm.openai.OpenAiLlmClient} (OpenAI-compatible HTTP).</li>
 *   <li>{@link dev.engram.llm.Prompts} and {@link dev.engram.llm.PromptId}: the Chinese prompt templates
 *       ({@code prompts/*.txt}) and their output contracts; {@link dev.engram.llm.LlmOutputs} parses them.</li>
 *   <li>{@link dev.engram.llm.LlmException}: failures classified retriable / not retriable. Nothing in this
 *       package retries; the task engine does.</li>
 *   <li>{@link dev.engram.bench.fakellm.FakeLlmServer} and {@link dev.engram.bench.fakellm.FakeLlmProfile}: a latency- and
 *       failure-profiled HTTP server speaking the same protocol, for tests and benchmarks.</li>
 *   <li>{@link dev.engram.text.TextAnalysis}: Chinese-aware tokens, keywords, sentences and extractive
 *       summaries, shared with the memory packages.</li>
 * </ul>
 */
package dev.engram.llm;
