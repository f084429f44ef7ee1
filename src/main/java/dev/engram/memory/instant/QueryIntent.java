package dev.engram.memory.instant;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a model answered to the {@link dev.engram.llm.PromptId#MEMORY_QUERY} prompt: whether memory
 * is needed, keywords to look for and the time referred to. Immutable.
 *
 * @param needMemory whether recalling helps (when the model omits the flag: whether it gave keywords)
 * @param keywords   distinct keywords, in the model's order
 * @param time       the contract's time string ({@code 昨天}, {@code N天前}, {@code YYYY-MM-DD}…), empty for none
 */
public record QueryIntent(boolean needMemory, List<String> keywords, String time) {
    public QueryIntent {
        keywords = List.copyOf(keywords);
        Objects.requireNonNull(time, "time");
    }

    /**
     * Parses a model's answer strictly (near-JSON is repaired; keywords may be split by {@code /},
     * {@code ,} or {@code 、}, or be an array).
     *
     * @return the intent, or empty when the answer holds no JSON object
     */
    public static Optional<QueryIntent> parse(String answer) {
        return NearJson.object(answer).map(QueryIntent::fromJson);
    }

    private static QueryIntent fromJson(JsonNode json) {
        List<String> keywords = MemoryAnswers.keywords(json.get("keywords"));
        Optional<Boolean> need = json.has("need_memory") ? MemoryAnswers.jsonValue(json.get("need_memory"))
                : Optional.empty();
        return new QueryIntent(need.orElse(!keywords.isEmpty()), keywords, MemoryAnswers.text(json.get("time")).strip());
    }
}
