package dev.engram.text;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What kind of utterance a message is, as far as memory cares: a question, small talk (greetings,
 * acknowledgements, laughter, thanks) or something that may state a fact. Questions and small talk are not
 * facts: they never become instant memories, and recall ranks questions below statements. Pure; thread-safe.
 */
public final class Utterances {
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    /** A sentence that asks: a question mark, a final question particle, or a final interrogative word. */
    private static final Pattern QUESTION = Pattern.compile(
            "(?:[?？]|(?<![不没])[吗嘛]|(?<!什)么|呢|什么|谁|哪里|哪儿|哪个|多少|几[个点岁次]?|怎么样|怎么办|为什么)"
                    + "[\\s。.!！~～…\\p{So}]*$", CI);
    /** A Chinese interrogative word anywhere, except in "any" uses (什么都, 谁也…). */
    private static final Pattern INTERROGATIVE = Pattern.compile(
            "(?:什么|哪里|哪儿|哪个|哪天|哪年|谁|多少|怎么|为什么|为啥|几点|几号|几岁)(?![都也])");
    private static final Pattern ENGLISH_QUESTION = Pattern.compile(
            "^(?:what|who|whom|whose|when|where|why|how|which|do|does|did|is|are|was|were|can|could|would|will"
                    + "|should|shall|have|has)\\b[^.!]*$", CI);
    /** A whole message that is only greetings, acknowledgements, thanks or laughter (after normalisation). */
    private static final Pattern SMALL_TALK = Pattern.compile(
            "(?:好的?|好吧|好滴|好嘞|嗯+|哦+|噢+|喔+|啊+|呀|行|行吧|可以|没问题|收到|知道了|明白了?|了解|懂了|"
                    + "谢谢|谢了|多谢|感谢|谢谢你|辛苦了|不客气|没事|没关系|"
                    + "[哈呵嘿嘻]+|2333*|666+|"
                    + "你好|您好|大家好|嗨|哈喽|早|早安|早上好|中午好|下午好|晚上好|晚安|拜拜|再见|回头见|"
                    + "ok|okay|sure|thanks|thank you|thx|ty|lol|lmao|haha+|hehe+|"
                    + "hi|hello|hey|morning|good morning|good night|bye|goodbye|cool|nice|great|got it|i see)+");

    private Utterances() {
    }

    /** Whether every sentence of {@code text} is a question (and there is one). */
    public static boolean isQuestion(String text) {
        List<String> sentences = TextAnalysis.sentences(text == null ? "" : text);
        if (sentences.isEmpty()) return false;
        for (String s : sentences) {
            String t = s.strip();
            if (!QUESTION.matcher(t).find() && !INTERROGATIVE.matcher(t).find() && !ENGLISH_QUESTION.matcher(t).find()) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code text} is only a greeting, acknowledgement, thanks or laughter. */
    public static boolean isSmallTalk(String text) {
        if (text == null) return true;
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
                .replaceAll("[\\p{P}\\p{S}\\s]+", " ").strip();
        if (n.isEmpty()) return true;
        return SMALL_TALK.matcher(n.replace(" ", "")).matches() || SMALL_TALK.matcher(n).matches();
    }

    /** Whether {@code text} cannot state a fact: small talk, or nothing but questions. */
    public static boolean isNotAFact(String text) {
        return isSmallTalk(text) || isQuestion(text);
    }

    /** The text of a recalled raw message ({@code name: text}) without its speaker prefix. */
    public static String withoutSpeaker(String shown) {
        int colon = shown.indexOf(": ");
        return colon > 0 && colon <= 64 ? shown.substring(colon + 2) : shown;
    }
}
