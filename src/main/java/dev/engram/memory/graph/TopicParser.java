package dev.engram.memory.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.engram.llm.LlmOutputs;

/**
 * Turns a topic answer ({@code <t1>,<t2>}) into concepts, fixing D-H6: {@code none} (or an answer with
 * no {@code <…>} at all) yields no concept, never a node named "none"; topics are split on {@code , ， 、}
 * but not on spaces, so {@code <New York>} stays one concept; quotes and brackets around a topic are
 * removed; a "topic" longer than {@value #MAX_CODE_POINTS} characters (a sentence) is dropped; ban words
 * match case- and width-insensitively anywhere in the topic; duplicates (by normalised form) collapse;
 * at most {@code max} are kept. Immutable; thread-safe.
 */
final class TopicParser {
    static final int MAX_CODE_POINTS = 30;
    private static final Set<String> NONE = Set.of("none", "null", "无", "没有", "空", "n/a");
    private static final String WRAPPERS = "\"'“”‘’「」『』《》【】[]()（）";

    private final List<String> banKeys;

    TopicParser(List<String> banWords) {
        this.banKeys = banWords.stream().map(Concepts::key).filter(k -> !k.isEmpty()).toList();
    }

    /** The concepts of a topic answer, at most {@code max}. */
    List<String> parse(String answer, int max) {
        return clean(LlmOutputs.topics(answer), max);
    }

    /** Applies the rules of the class comment to topics that are already split (e.g. stored keywords). */
    List<String> clean(Collection<String> topics, int max) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (String raw : topics) {
            if (byKey.size() >= max) break;
            String topic = unwrap(raw).replaceAll("\\s+", " ");
            String key = Concepts.key(topic);
            if (key.isEmpty() || NONE.contains(key) || !key.codePoints().anyMatch(Character::isLetterOrDigit)) continue;
            if (key.codePointCount(0, key.length()) > MAX_CODE_POINTS || banned(key)) continue;
            byKey.putIfAbsent(key, topic);
        }
        return new ArrayList<>(byKey.values());
    }

    /** Whether a concept (normalised) contains a ban word. */
    boolean banned(String key) {
        for (String ban : banKeys) if (key.contains(ban)) return true;
        return false;
    }

    private static String unwrap(String topic) {
        String t = topic.strip();
        int start = 0;
        int end = t.length();
        while (start < end && WRAPPERS.indexOf(t.charAt(start)) >= 0) start++;
        while (end > start && WRAPPERS.indexOf(t.charAt(end - 1)) >= 0) end--;
        return t.substring(start, end).strip();
    }
}
