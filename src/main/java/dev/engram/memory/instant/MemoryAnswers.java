package dev.engram.memory.instant;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Strict parsers for the memory-writing prompts' outputs (contracts in {@link dev.engram.llm.PromptId}).
 * Fixes the original's D-I2: the judgement is read as a whole answer ({@code 1}, {@code 0}, a
 * yes/no word, or a JSON flag), never as "contains a 1". Pure; thread-safe.
 */
final class MemoryAnswers {
    private static final Pattern KEYWORD_SPLIT = Pattern.compile("[/,，、;；|\\n]+");
    private static final Pattern LABELLED = Pattern.compile(
            "^(?:输出|答案|回答|结果|判断|answer|output|result)\\s*[:：]\\s*(.+)$", Pattern.CASE_INSENSITIVE);
    private static final List<String> FLAG_KEYS = List.of("need_memory", "need_build", "need", "remember", "answer",
            "result", "value", "output");
    private static final Set<String> YES = Set.of("1", "是", "需要", "要", "yes", "y", "true");
    private static final Set<String> NO = Set.of("0", "否", "不需要", "不", "no", "n", "false");

    private MemoryAnswers() {
    }

    /** A built memory: non-blank text and its keywords. */
    record Built(String text, List<String> keywords) {
        Built {
            Objects.requireNonNull(text, "text");
            keywords = List.copyOf(keywords);
        }
    }

    /** The {@code MEMORY_NEED_BUILD} judgement, or empty when the answer is not one. */
    static Optional<Boolean> needBuild(String response) {
        if (response == null) return Optional.empty();
        String cleaned = clean(response);
        Optional<Boolean> word = flagWord(cleaned);
        if (word.isPresent()) return word;
        String firstLine = cleaned.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        word = flagWord(firstLine);
        if (word.isPresent()) return word;
        Matcher labelled = LABELLED.matcher(firstLine);
        if (labelled.matches()) return flagWord(labelled.group(1));
        return NearJson.object(response).flatMap(MemoryAnswers::jsonFlag);
    }

    /** The {@code MEMORY_BUILD} object, or empty when there is no non-blank {@code memory_text}. */
    static Optional<Built> built(String response) {
        return NearJson.object(response).flatMap(json -> {
            String text = text(json.get("memory_text"));
            if (text.isBlank()) return Optional.empty();
            return Optional.of(new Built(text.strip(), keywords(json.get("keywords"))));
        });
    }

    /** Keywords given as a string ({@code a/b}, {@code a, b}, {@code a、b}) or as an array; distinct, in order. */
    static List<String> keywords(JsonNode node) {
        List<String> raw = new ArrayList<>();
        if (node == null || node.isNull()) return List.of();
        if (node.isArray()) node.forEach(n -> raw.add(text(n)));
        else raw.add(text(node));
        Set<String> out = new LinkedHashSet<>();
        for (String r : raw) {
            for (String k : KEYWORD_SPLIT.split(r)) {
                String kw = k.strip().replaceAll("^[\"'“”‘’#\\s]+|[\"'“”‘’。.\\s]+$", "");
                if (!kw.isEmpty() && kw.length() <= 40) out.add(kw);
            }
        }
        return List.copyOf(out);
    }

    static String text(JsonNode node) {
        if (node == null || node.isNull()) return "";
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** Code fences, surrounding quotes/backticks and a trailing full stop removed. */
    private static String clean(String response) {
        String s = response.strip().replaceAll("^```[a-zA-Z]*\\s*|```$", "").strip();
        return s.replaceAll("^[\"'`“”]+|[\"'`“”]+$", "").replaceAll("[。.!！]+$", "").strip();
    }

    private static Optional<Boolean> flagWord(String s) {
        String w = s.strip().replaceAll("^[\"'`“”]+|[\"'`“”。.!！]+$", "").toLowerCase(Locale.ROOT);
        if (YES.contains(w)) return Optional.of(true);
        if (NO.contains(w)) return Optional.of(false);
        return Optional.empty();
    }

    private static Optional<Boolean> jsonFlag(JsonNode json) {
        for (String key : FLAG_KEYS) {
            if (json.has(key)) return jsonValue(json.get(key));
        }
        return json.size() == 1 ? jsonValue(json.elements().next()) : Optional.empty();
    }

    static Optional<Boolean> jsonValue(JsonNode v) {
        if (v == null || v.isNull()) return Optional.empty();
        if (v.isBoolean()) return Optional.of(v.booleanValue());
        if (v.isNumber()) {
            int i = v.intValue();
            return i == 1 ? Optional.of(true) : i == 0 ? Optional.of(false) : Optional.empty();
        }
        return flagWord(v.asText());
    }
}
