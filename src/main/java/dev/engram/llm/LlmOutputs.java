package dev.engram.llm;

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
 * The one parser per prompt output (contracts in {@link PromptId}); production code and the client
 * contract tests read model answers only through it. Answers are read strictly, but the usual model
 * noise is tolerated: reasoning in {@code <think>…</think>}, code fences, prose around the JSON and
 * near-JSON ({@link NearJson}). Fixes the original's D-I2: a judgement is read as a whole answer
 * ({@code 1}, {@code 0}, a yes/no word, or a JSON flag), never as "contains a 1". Pure; thread-safe.
 */
public final class LlmOutputs {
    private static final Pattern THINK = Pattern.compile("(?s)<think>.*?</think>");
    private static final Pattern KEYWORD_SPLIT = Pattern.compile("[/／,，、;；|\\n]+");
    private static final Pattern LABELLED = Pattern.compile(
            "^(?:输出|答案|回答|结果|判断|answer|output|result)\\s*[:：]\\s*(.+)$", Pattern.CASE_INSENSITIVE);
    private static final List<String> FLAG_KEYS = List.of("need_memory", "need_build", "need", "remember", "answer",
            "result", "value", "output");
    private static final Set<String> YES = Set.of("1", "是", "需要", "要", "yes", "y", "true");
    private static final Set<String> NO = Set.of("0", "否", "不需要", "不", "no", "n", "false");
    private static final Pattern TOPIC = Pattern.compile("<([^<>]+)>");
    private static final Pattern TOPIC_SEPARATORS = Pattern.compile("[,，、]");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private LlmOutputs() {
    }

    /**
     * One fact of the {@link PromptId#MEMORY_BUILD} output.
     *
     * @param speaker  who stated it, as the model named them; empty when not given
     * @param fact     the self-contained fact, not blank, at most {@value #MAX_FACT_CHARS} characters
     * @param time     the day it happens or happened, {@code YYYY-MM-DD}, or empty (a time the model wrote in
     *                 another form is dropped)
     * @param keywords distinct, non-blank keywords, in the model's order (optional in the contract)
     */
    public record ExtractedFact(String speaker, String fact, String time, List<String> keywords) {
        public ExtractedFact {
            Objects.requireNonNull(speaker, "speaker");
            Objects.requireNonNull(fact, "fact");
            Objects.requireNonNull(time, "time");
            keywords = List.copyOf(keywords);
        }
    }

    /** Longest fact accepted; a longer "fact" is a transcript, not an atomic fact. */
    public static final int MAX_FACT_CHARS = 300;
    /** Most facts read from one answer. */
    public static final int MAX_FACTS = 12;

    /**
     * {@link PromptId#MEMORY_QUERY} output.
     *
     * @param needMemory whether recalling helps (when the model omits the flag: whether it gave keywords)
     * @param keywords   distinct keywords, in the model's order
     * @param time       the contract's time string ({@code 昨天}, {@code N天前}, {@code YYYY-MM-DD}…), empty for none
     */
    public record MemoryQuery(boolean needMemory, List<String> keywords, String time) {
        public MemoryQuery {
            keywords = List.copyOf(keywords);
            Objects.requireNonNull(time, "time");
        }
    }

    /** {@link PromptId#MEMORY_NEED_BUILD}: the judgement, or empty when the answer is not one. */
    public static Optional<Boolean> needBuild(String answer) {
        if (answer == null) return Optional.empty();
        String cleaned = clean(withoutThinking(answer));
        Optional<Boolean> word = flagWord(cleaned);
        if (word.isPresent()) return word;
        String firstLine = cleaned.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        word = flagWord(firstLine);
        if (word.isPresent()) return word;
        Matcher labelled = LABELLED.matcher(firstLine);
        if (labelled.matches()) return flagWord(labelled.group(1));
        return json(answer).flatMap(LlmOutputs::jsonFlag);
    }

    /**
     * {@link PromptId#MEMORY_BUILD}: the facts of {@code {"facts": [{"speaker", "fact", "time", "keywords"}]}}
     * (an item may also be a plain string: the fact), in order, without blank, over-long or repeated facts; an
     * empty list when the model found none. An answer in the older one-memory form
     * ({@code {"memory_text", "keywords"}}) reads as one fact. Empty when the answer is neither.
     */
    public static Optional<List<ExtractedFact>> facts(String answer) {
        return json(answer).flatMap(node -> {
            JsonNode items = node.get("facts");
            if (items == null || items.isNull()) {
                String text = text(node.get("memory_text")).strip();
                if (text.isEmpty()) return Optional.empty();
                return Optional.of(valid(List.of(new ExtractedFact("", text, "", keywords(node.get("keywords"))))));
            }
            if (!items.isArray()) return Optional.empty();
            List<ExtractedFact> out = new ArrayList<>();
            for (JsonNode item : items) {
                if (item.isValueNode()) {
                    out.add(new ExtractedFact("", text(item).strip(), "", List.of()));
                } else if (item.isObject()) {
                    out.add(new ExtractedFact(text(item.get("speaker")).strip(), text(item.get("fact")).strip(),
                            day(text(item.get("time"))), keywords(item.get("keywords"))));
                }
            }
            return Optional.of(valid(out));
        });
    }

    private static List<ExtractedFact> valid(List<ExtractedFact> facts) {
        List<ExtractedFact> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ExtractedFact f : facts) {
            if (out.size() >= MAX_FACTS) break;
            if (f.fact().isBlank() || f.fact().length() > MAX_FACT_CHARS || !seen.add(f.fact())) continue;
            out.add(f);
        }
        return List.copyOf(out);
    }

    /** {@code YYYY-MM-DD} when {@code time} starts with a valid one, else empty. */
    private static String day(String time) {
        Matcher m = DAY.matcher(time.strip());
        if (!m.lookingAt()) return "";
        try {
            return java.time.LocalDate.parse(m.group()).toString();
        } catch (java.time.DateTimeException e) {
            return "";
        }
    }

    /** {@link PromptId#MEMORY_QUERY}: empty when the answer holds no JSON object. */
    public static Optional<MemoryQuery> memoryQuery(String answer) {
        return json(answer).map(node -> {
            List<String> keywords = keywords(node.get("keywords"));
            Optional<Boolean> need = node.has("need_memory") ? jsonValue(node.get("need_memory")) : Optional.empty();
            return new MemoryQuery(need.orElse(!keywords.isEmpty()), keywords, text(node.get("time")).strip());
        });
    }

    /**
     * {@link PromptId#TOPIC_FIND}: the {@code <...>} items, split on {@code , ， 、} (not on spaces, so
     * multi-word topics survive), trimmed, distinct; {@code none} is never a topic.
     */
    public static List<String> topics(String answer) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TOPIC.matcher(withoutThinking(answer));
        while (m.find()) {
            for (String t : TOPIC_SEPARATORS.split(m.group(1))) {
                String topic = t.strip();
                if (!topic.isEmpty() && !topic.equalsIgnoreCase("none")) out.add(topic);
            }
        }
        return List.copyOf(out);
    }

    /** {@link PromptId#MEMORY_ACTIVATOR}: the {@code keywords} array (or separated string). */
    public static List<String> activatorKeywords(String answer) {
        return json(answer).map(node -> keywords(node.get("keywords"))).orElse(List.of());
    }

    /** {@link PromptId#TOPIC_SUMMARY} and {@link PromptId#REPLY}: the answer without reasoning or quotes. */
    public static String sentence(String answer) {
        String s = withoutThinking(answer).strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("“") && s.endsWith("”"))) {
            s = s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    /** Keywords given as a string ({@code a/b}, {@code a, b}, {@code a、b}) or as an array; distinct, in order. */
    private static List<String> keywords(JsonNode node) {
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

    private static Optional<JsonNode> json(String answer) {
        return NearJson.object(withoutThinking(answer));
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull()) return "";
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static String withoutThinking(String answer) {
        return answer == null ? "" : THINK.matcher(answer).replaceAll("");
    }

    /** Code fences, surrounding quotes/backticks and a trailing full stop removed. */
    private static String clean(String answer) {
        String s = answer.strip().replaceAll("^```[a-zA-Z]*\\s*|```$", "").strip();
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

    private static Optional<Boolean> jsonValue(JsonNode v) {
        if (v == null || v.isNull()) return Optional.empty();
        if (v.isBoolean()) return Optional.of(v.booleanValue());
        if (v.isNumber()) {
            int i = v.intValue();
            return i == 1 ? Optional.of(true) : i == 0 ? Optional.of(false) : Optional.empty();
        }
        return flagWord(v.asText());
    }
}
