package dev.engram.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.engram.text.TextAnalysis;
import dev.engram.text.TextSimilarity;
import dev.engram.text.Utterances;

/**
 * What of a bot reply may become memory. The reply stays in the history and the prompt as it is; memory gets
 * only what it adds to the conversation:
 * <ul>
 *   <li>the offline template reply (it starts with {@value #OFFLINE_LABEL}, see
 *       {@code dev.engram.llm.offline.OfflineAnswers}) adds nothing: none of it is memorable;</li>
 *   <li>an injected memory block ({@value #MEMORY_HEADER} and its {@code - } lines) echoed by a model is
 *       dropped;</li>
 *   <li>a clause (a sentence's part up to {@code ，,；;、}) that restates one of the memories injected into the
 *       prompt (its shingles mostly contained in the memory's, or Jaccard similar) is dropped.</li>
 * </ul>
 * Pure; thread-safe.
 */
public final class EchoFilter {
    /** The label every offline template reply starts with. */
    public static final String OFFLINE_LABEL = "[Engram 离线模式]";
    /** The header of the memory block in the reply prompt. */
    public static final String MEMORY_HEADER = "以下是当前在聊天中，你回忆起的记忆：";
    /** Share of a sentence's shingles found in a memory from which the sentence counts as a restatement. */
    static final double CONTAINED = 0.5;
    /** Jaccard similarity from which a sentence counts as a restatement. */
    static final double SIMILAR = 0.4;

    private static final Pattern CLAUSE = Pattern.compile("(?<=[，,；;、])");

    private EchoFilter() {
    }

    /** Whether {@code text} is the offline provider's template reply. */
    public static boolean isOfflineTemplate(String text) {
        return text != null && text.strip().startsWith(OFFLINE_LABEL);
    }

    /**
     * The part of a bot reply that may be memorised: empty for the offline template, otherwise the reply
     * without an echoed memory block and without sentences restating one of {@code injected}.
     *
     * @param reply    the bot's reply
     * @param injected texts of the memories that were injected into the reply's prompt
     */
    public static String memorable(String reply, Collection<String> injected) {
        if (reply == null || reply.isBlank() || isOfflineTemplate(reply)) return "";
        List<Set<String>> memories = new ArrayList<>();
        for (String m : injected) {
            Set<String> sh = TextSimilarity.shingles(Utterances.withoutSpeaker(m));
            if (!sh.isEmpty()) memories.add(sh);
        }
        List<String> kept = new ArrayList<>();
        boolean inBlock = false;
        for (String line : reply.split("\\R")) {
            String l = line.strip();
            if (l.startsWith(MEMORY_HEADER)) {
                inBlock = true;
                continue;
            }
            if (inBlock && l.startsWith("- ")) continue;
            inBlock = false;
            for (String sentence : TextAnalysis.sentences(l)) {
                String rest = withoutRestatedClauses(sentence, memories);
                if (!rest.isEmpty()) kept.add(rest);
            }
        }
        return kept.isEmpty() ? "" : TextAnalysis.join(kept).strip();
    }

    /** The sentence without its clauses (split after {@code ，,；;、}) that restate a memory; empty if none is left. */
    private static String withoutRestatedClauses(String sentence, List<Set<String>> memories) {
        if (memories.isEmpty()) return sentence.strip();
        StringBuilder out = new StringBuilder();
        String[] clauses = CLAUSE.split(sentence);
        for (int i = 0; i < clauses.length; i++) {
            String clause = clauses[i];
            if (restates(TextSimilarity.shingles(clause), memories)) {
                if (i == clauses.length - 1 && !out.isEmpty()) {
                    // the dropped last clause carried the sentence's terminator: it replaces the kept clause's comma
                    out.setLength(out.length() - 1);
                    out.append(terminator(clause));
                }
                continue;
            }
            out.append(clause);
        }
        return out.toString().strip();
    }

    private static String terminator(String clause) {
        String t = clause.strip();
        int end = t.length();
        while (end > 0 && !Character.isLetterOrDigit(t.codePointBefore(end))) end -= Character.charCount(t.codePointBefore(end));
        return t.substring(end);
    }

    private static boolean restates(Set<String> sentence, List<Set<String>> memories) {
        if (sentence.isEmpty()) return false;
        for (Set<String> m : memories) {
            if (TextSimilarity.containment(sentence, m) >= CONTAINED || TextSimilarity.jaccard(sentence, m) >= SIMILAR) {
                return true;
            }
        }
        return false;
    }
}
