package dev.engram.llm.offline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.engram.llm.openai.internal.Json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.engram.llm.PromptId;
import dev.engram.text.TextAnalysis;
import dev.engram.text.TimeExpressions;
import dev.engram.text.Transcript;

/**
 * The output of every prompt, computed locally from the prompt's variables so that it satisfies the
 * prompt's contract (see {@link PromptId}). Used by {@link OfflineLlmClient} and, for memory prompts, by
 * {@link FakeLlmServer}. Deterministic, stateless and thread-safe.
 */
public final class OfflineAnswers {

    static final String OFFLINE_LABEL = "[Engram 离线模式]";
    private static final int MAX_KEYWORDS = 5;
    private static final int MAX_RECALLED_LINES = 8;

    private OfflineAnswers() {
    }

    /** @return the answer to {@code prompt} given its variables (missing variables count as empty) */
    public static String answer(PromptId prompt, Map<String, String> vars) {
        return switch (prompt) {
            case REPLY -> reply(get(vars, "message"), get(vars, "memory_block"));
            case MEMORY_NEED_BUILD -> MemoryWorthiness.worthRemembering(get(vars, "text")) ? "1" : "0";
            case MEMORY_BUILD -> extractFacts(get(vars, "text"));
            case MEMORY_QUERY -> memoryQuery(get(vars, "text"), get(vars, "now"));
            case TOPIC_FIND -> findTopics(get(vars, "text"), get(vars, "topic_num"));
            case TOPIC_SUMMARY -> TopicSummarizer.summarize(get(vars, "text"), get(vars, "topic"));
            case MEMORY_ACTIVATOR -> activate(get(vars, "history"), get(vars, "message"));
        };
    }

    /** A plainly labelled template that shows what was recalled. */
    static String reply(String message, String memoryBlock) {
        List<String> recalled = new ArrayList<>();
        for (String line : memoryBlock.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.endsWith("：") || l.endsWith(":")) {
                continue;
            }
            l = l.replaceFirst("^[-•*·]\\s*", "").strip();
            if (!l.isEmpty() && recalled.size() < MAX_RECALLED_LINES) {
                recalled.add(l);
            }
        }
        StringBuilder sb = new StringBuilder(OFFLINE_LABEL).append(" 收到：")
                .append(message.strip().replaceAll("\\s*\\R\\s*", " ")).append('\n');
        if (recalled.isEmpty()) {
            sb.append("我暂时没有回忆起相关的记忆。\n");
        } else {
            sb.append("我回忆起：\n");
            recalled.forEach(r -> sb.append("- ").append(r).append('\n'));
        }
        return sb.append("（未配置在线大模型，这是一条模板回复。）").toString();
    }

    /** {@code {"facts": [{"speaker", "fact", "time", "keywords"}]}}: the speakers' own statements as facts ({@link FactRewriter}). */
    static String extractFacts(String text) {
        List<Map<String, Object>> facts = new ArrayList<>();
        for (FactRewriter.Extracted e : FactRewriter.extract(text)) {
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("speaker", e.speaker());
            fact.put("fact", e.fact());
            fact.put("time", e.time());
            fact.put("keywords", TextAnalysis.keywords(e.fact(), MAX_KEYWORDS));
            facts.add(fact);
        }
        return write(Map.of("facts", facts));
    }

    /** {@code {"need_memory": 1|0, "keywords": "a/b", "time": "..."}}. */
    static String memoryQuery(String text, String now) {
        LocalDate today = TimeExpressions.parseDate(now);
        String time = TimeExpressions.contractTime(text, today).orElse("");
        List<String> keywords = TextAnalysis.keywords(text, MAX_KEYWORDS).stream()
                .filter(k -> TimeExpressions.contractTime(k, today).isEmpty())
                .toList();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("need_memory", keywords.isEmpty() && time.isEmpty() ? 0 : 1);
        json.put("keywords", String.join("/", keywords));
        json.put("time", time);
        return write(json);
    }

    /** {@code <t1>,<t2>} from what was said (speaker names and timestamps excluded), or {@code <none>}. */
    static String findTopics(String text, String topicNum) {
        int n = parseTopicNum(topicNum);
        String content = Transcript.parse(text).contentText();
        Set<String> topics = new LinkedHashSet<>(TextAnalysis.keywords(content, n));
        if (topics.isEmpty()) {
            // no noun or verb qualified (e.g. a one-word text): fall back to any content token
            for (String t : TextAnalysis.tokens(content)) {
                if (topics.size() < n && t.codePoints().anyMatch(Character::isLetter)) {
                    topics.add(t);
                }
            }
        }
        if (topics.isEmpty()) {
            return "<none>";
        }
        return String.join(",", topics.stream()
                .map(t -> t.replaceAll("[<>,，、\\s]", ""))
                .filter(t -> !t.isEmpty())
                .map(t -> "<" + t + ">")
                .distinct()
                .toList());
    }

    /** {@code {"keywords": [...]}}: the message's keywords first, topped up from the history. */
    static String activate(String history, String message) {
        Set<String> keywords = new LinkedHashSet<>(TextAnalysis.keywords(message, MAX_KEYWORDS));
        if (keywords.size() < 3) {
            for (String k : TextAnalysis.keywords(Transcript.parse(history).contentText(), MAX_KEYWORDS)) {
                if (keywords.size() >= MAX_KEYWORDS) {
                    break;
                }
                if (keywords.stream().noneMatch(e -> e.equalsIgnoreCase(k))) {
                    keywords.add(k);
                }
            }
        }
        return write(Map.of("keywords", List.copyOf(keywords)));
    }

    private static int parseTopicNum(String topicNum) {
        try {
            return Math.clamp(Integer.parseInt(topicNum.strip()), 1, 10);
        } catch (NumberFormatException e) {
            return 3;
        }
    }

    private static String get(Map<String, String> vars, String name) {
        String v = vars.get(name);
        return v == null ? "" : v;
    }

    private static String write(Map<String, Object> json) {
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + json.keySet(), e);
        }
    }

    /** Rough token count: one per CJK character, one per Latin word or number. */
    public static int estimateTokens(String text) {
        int tokens = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN) {
                tokens++;
                inWord = false;
            } else if (Character.isLetterOrDigit(cp)) {
                tokens += inWord ? 0 : 1;
                inWord = true;
            } else {
                inWord = false;
            }
        }
        return tokens;
    }
}
