package dev.engram.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.engram.llm.openai.internal.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the output contracts of {@link PromptId} (the parsing half of the original's prompts, made
 * strict where the original was loose). Models wrap JSON in code fences or prose, use single quotes or
 * trailing commas; these parsers tolerate that, and return empty results rather than throw. Stateless and
 * thread-safe.
 */
public final class LlmOutputs {

    private static final Pattern TOPIC = Pattern.compile("<([^<>]+)>");
    private static final Pattern TOPIC_SEPARATORS = Pattern.compile("[,，、]");
    private static final Pattern KEYWORD_SEPARATORS = Pattern.compile("[/／,，、;；|]");

    private LlmOutputs() {
    }

    /**
     * {@link PromptId#MEMORY_BUILD} output.
     *
     * @param memoryText what to remember, not blank
     * @param keywords   distinct, non-blank keywords
     */
    public record BuiltMemory(String memoryText, List<String> keywords) {
        public BuiltMemory {
            Objects.requireNonNull(memoryText, "memoryText");
            keywords = List.copyOf(keywords);
        }
    }

    /**
     * {@link PromptId#MEMORY_QUERY} output.
     *
     * @param needMemory whether recall is needed
     * @param keywords   distinct, non-blank keywords
     * @param time       the contract time expression, or {@code ""}
     */
    public record MemoryQuery(boolean needMemory, List<String> keywords, String time) {
        public MemoryQuery {
            Objects.requireNonNull(time, "time");
            keywords = List.copyOf(keywords);
        }
    }

    /** {@link PromptId#MEMORY_NEED_BUILD}: true iff the answer's first non-blank character is {@code 1}. */
    public static boolean needBuild(String answer) {
        String a = stripThink(answer).strip();
        return a.startsWith("1");
    }

    /** {@link PromptId#MEMORY_BUILD}: empty when there is no JSON object or its {@code memory_text} is blank. */
    public static Optional<BuiltMemory> builtMemory(String answer) {
        return jsonObject(answer).flatMap(node -> {
            String text = node.path("memory_text").asText("").strip();
            return text.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new BuiltMemory(text, keywords(node.get("keywords"))));
        });
    }

    /** {@link PromptId#MEMORY_QUERY}: empty when there is no JSON object. */
    public static Optional<MemoryQuery> memoryQuery(String answer) {
        return jsonObject(answer).map(node -> {
            JsonNode need = node.path("need_memory");
            boolean needMemory = need.isBoolean() ? need.asBoolean() : need.asInt(0) == 1 || "1".equals(need.asText());
            return new MemoryQuery(needMemory, keywords(node.get("keywords")), node.path("time").asText("").strip());
        });
    }

    /**
     * {@link PromptId#TOPIC_FIND}: the {@code <...>} items, split on {@code , ， 、} (not on spaces, so
     * multi-word topics survive), trimmed, distinct; {@code none} is never a topic.
     */
    public static List<String> topics(String answer) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TOPIC.matcher(stripThink(answer));
        while (m.find()) {
            for (String t : TOPIC_SEPARATORS.split(m.group(1))) {
                String topic = t.strip();
                if (!topic.isEmpty() && !topic.equalsIgnoreCase("none")) {
                    out.add(topic);
                }
            }
        }
        return List.copyOf(out);
    }

    /** {@link PromptId#MEMORY_ACTIVATOR}: the {@code keywords} array (or slash-separated string). */
    public static List<String> activatorKeywords(String answer) {
        return jsonObject(answer).map(node -> keywords(node.get("keywords"))).orElse(List.of());
    }

    /** {@link PromptId#TOPIC_SUMMARY} and {@link PromptId#REPLY}: the answer without reasoning or quotes. */
    public static String sentence(String answer) {
        String s = stripThink(answer).strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("“") && s.endsWith("”"))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /**
     * The first JSON object in {@code answer} (after removing code fences and reasoning), parsed leniently.
     *
     * @return empty when none parses
     */
    public static Optional<JsonNode> jsonObject(String answer) {
        String s = stripThink(answer).replace("```json", "").replace("```JSON", "").replace("```", "");
        int start = s.indexOf('{');
        int end = s.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.LENIENT.readTree(s.substring(start, end + 1));
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Splits a keyword list given as a JSON array or a {@code /}-separated string. */
    static List<String> keywords(JsonNode node) {
        List<String> raw = new ArrayList<>();
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            node.forEach(n -> raw.add(n.asText("")));
        } else {
            raw.addAll(List.of(KEYWORD_SEPARATORS.split(node.asText(""))));
        }
        Set<String> out = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String k : raw) {
            String kw = k.strip();
            if (!kw.isEmpty() && seen.add(kw.toLowerCase(Locale.ROOT))) {
                out.add(kw);
            }
        }
        return List.copyOf(out);
    }

    private static String stripThink(String answer) {
        return answer == null ? "" : answer.replaceAll("(?s)<think>.*?</think>", "");
    }
}
