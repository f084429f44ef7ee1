package dev.engram.llm;

import java.util.Objects;

/**
 * Which LLM call failed.
 *
 * @param operation the operation, {@code llm.<prompt key>}, e.g. {@code llm.memory_build}
 * @param model     the model that was asked
 */
public record LlmCall(String operation, String model) {
    public LlmCall {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(model, "model");
    }
}
