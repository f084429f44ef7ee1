/**
 * Wire DTOs and JSON mappers of the OpenAI-compatible chat-completions protocol. Not part of Engram's API:
 * only {@code dev.engram.llm} uses these, and maps them to {@link dev.engram.llm.LlmResponse} at the adapter.
 */
package dev.engram.llm.openai.internal;
