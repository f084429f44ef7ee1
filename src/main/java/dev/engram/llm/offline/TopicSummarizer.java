package dev.engram.llm.offline;

import java.util.List;
import java.util.Locale;
import dev.engram.text.TextAnalysis;
import dev.engram.text.Transcript;

/**
 * The offline {@link PromptId#TOPIC_SUMMARY}: one sentence about a topic, drawn from the text. It is the
 * first sentence that mentions the topic (else the sentence sharing the most tokens with it, else the first
 * sentence), prefixed with the transcript's date and time and the speaker when the text has them, e.g.
 * {@code 2024-05-01 12:30:05，小明说：我下周去杭州玩。} Stateless and thread-safe.
 */
final class TopicSummarizer {

    private static final int MAX_CHARS = 200;

    private TopicSummarizer() {
    }

    /** @return one line; empty only when the text says nothing */
    static String summarize(String text, String topic) {
        Transcript transcript = Transcript.parse(text);
        String needle = topic.strip().toLowerCase(Locale.ROOT);
        Found found = null;
        if (!needle.isEmpty()) {
            found = firstMention(transcript, needle);
        }
        if (found == null) {
            found = bestOverlap(transcript, TextAnalysis.tokens(topic));
        }
        if (found == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        String when = when(found.utterance().date(), found.utterance().time());
        if (!when.isEmpty()) {
            sb.append(when).append('，');
        }
        if (found.utterance().speaker() != null) {
            sb.append(found.utterance().speaker()).append("说：");
        }
        sb.append(found.sentence().replaceAll("\\s*\\R\\s*", " "));
        String line = sb.toString();
        return line.length() <= MAX_CHARS ? line : line.substring(0, MAX_CHARS) + "…";
    }

    private record Found(Transcript.Utterance utterance, String sentence) {
    }

    private static Found firstMention(Transcript transcript, String needle) {
        for (Transcript.Utterance u : transcript.utterances()) {
            for (String sentence : TextAnalysis.sentences(u.content())) {
                if (sentence.toLowerCase(Locale.ROOT).contains(needle)) {
                    return new Found(u, sentence);
                }
            }
        }
        return null;
    }

    private static Found bestOverlap(Transcript transcript, List<String> topicTokens) {
        Found best = null;
        long bestOverlap = 0;
        for (Transcript.Utterance u : transcript.utterances()) {
            for (String sentence : TextAnalysis.sentences(u.content())) {
                if (best == null) {
                    best = new Found(u, sentence);
                }
                List<String> tokens = TextAnalysis.tokens(sentence);
                long overlap = topicTokens.stream().distinct().filter(tokens::contains).count();
                if (overlap > bestOverlap) {
                    bestOverlap = overlap;
                    best = new Found(u, sentence);
                }
            }
        }
        return best;
    }

    private static String when(String date, String time) {
        if (date != null && time != null) {
            return date + " " + time;
        }
        return date != null ? date : time != null ? time : "";
    }
}
