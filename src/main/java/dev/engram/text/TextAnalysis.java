package dev.engram.text;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.common.Term;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Local, deterministic text analysis for Chinese and English: tokens for lexical matching, ranked keywords,
 * sentence splitting and extractive summaries. Chinese is segmented and POS-tagged with HanLP (portable
 * dictionaries from the classpath); Latin words come through the same segmenter and are lower-cased.
 *
 * <p>Thread-safe and stateless. HanLP's dictionaries load lazily on first use (about 0.4 s, once per JVM,
 * guarded by class initialisation); call {@link #warmUp()} at startup to pay that cost off the reply path.
 * Every method accepts {@code null} or blank text and then returns an empty result.
 */
public final class TextAnalysis {

    private static final String TERMINATORS = "。！？!?；;…";
    private static final String CLOSERS = "”’」』）)\"'";
    private static final String SUSPECT_NAME_ENDINGS = "去来说在是要想和跟给把被也都就还的了着过吗呢吧";

    private TextAnalysis() {
    }

    /** A segmented word with its HanLP part-of-speech tag ({@code n}, {@code nr}, {@code v}, {@code w}…). */
    public record Word(String text, String pos) {
    }

    /** Loads the segmenter's dictionaries now, on the calling thread. */
    public static void warmUp() {
        words("记忆预热 warm up");
    }

    /**
     * Content tokens for lexical matching (BM25, overlap): segmented words in text order, duplicates kept,
     * without punctuation, whitespace, stop words, single Latin letters or numbers shorter than three digits
     * (timestamps); text is NFKC-normalised, Latin words lower-cased with a plural {@code s} removed. Use the
     * same function on both sides of a comparison.
     */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (Word w : words(text)) {
            String word = cleanLatin(w.text());
            if (w.pos().startsWith("w") || Stopwords.contains(word) || !hasLetterOrDigit(word)) {
                continue;
            }
            if (!hasCjk(word) && (word.length() < 2 || !hasLetter(word) && word.length() < 3)) {
                continue; // single Latin letters, and numbers like the "05" of timestamps
            }
            out.add(hasCjk(word) ? word : stem(word.toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    /**
     * Ranked, distinct keywords: nouns, names, places, organisations and (weighted lower) verbs and
     * adjectives of at least two characters, English words that are not stop words. Ranked by summed
     * part-of-speech weight over occurrences, ties by first occurrence. Works on texts of any length;
     * a text of only greetings or fillers has no keywords.
     *
     * @param max the most to return; {@code <= 0} returns an empty list
     */
    public static List<String> keywords(String text, int max) {
        if (max <= 0) {
            return List.of();
        }
        return rankedKeywords(text).stream().limit(max).map(Candidate::display).toList();
    }

    /**
     * Splits on Chinese and English sentence ends ({@code 。！？!?；;…}, a {@code .} followed by a space) and
     * on line breaks. Sentences keep their terminator; blank pieces are dropped.
     */
    public static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        StringBuilder current = new StringBuilder();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                flush(current, out);
                continue;
            }
            current.append(c);
            boolean end = TERMINATORS.indexOf(c) >= 0
                    || (c == '.' && (i + 1 == n || Character.isWhitespace(text.charAt(i + 1))));
            if (end) {
                while (i + 1 < n && (TERMINATORS.indexOf(text.charAt(i + 1)) >= 0
                        || CLOSERS.indexOf(text.charAt(i + 1)) >= 0)) {
                    current.append(text.charAt(++i));
                }
                flush(current, out);
            }
        }
        flush(current, out);
        return out;
    }

    /**
     * Extractive summary: the {@code maxSentences} sentences that carry the most of the text's keyword
     * weight (normalised by sentence length), in their original order, joined into one line.
     */
    public static String summary(String text, int maxSentences) {
        List<String> sentences = sentences(text);
        if (maxSentences <= 0 || sentences.isEmpty()) {
            return "";
        }
        if (sentences.size() <= maxSentences) {
            return join(sentences);
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        rankedKeywords(text).forEach(c -> weights.put(c.key(), c.score()));
        List<Integer> order = new ArrayList<>();
        double[] score = new double[sentences.size()];
        for (int i = 0; i < sentences.size(); i++) {
            List<String> toks = tokens(sentences.get(i));
            double sum = toks.stream().distinct().mapToDouble(t -> weights.getOrDefault(t, 0.0)).sum();
            score[i] = sum / Math.sqrt(toks.size() + 1.0);
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> i));
        List<Integer> chosen = new ArrayList<>(order.subList(0, maxSentences));
        chosen.sort(Comparator.naturalOrder());
        return join(chosen.stream().map(sentences::get).toList());
    }

    /** Joins sentences into one line, adding a separator where a sentence has no terminator. */
    public static String join(List<String> sentences) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            out.append(s);
            if (i + 1 < sentences.size()) {
                char last = s.charAt(s.length() - 1);
                boolean terminated = TERMINATORS.indexOf(last) >= 0 || CLOSERS.indexOf(last) >= 0 || last == '.';
                if (!terminated) {
                    out.append(hasCjk(s) ? "；" : "; ");
                } else if (last < 0x3000) {
                    out.append(' ');
                }
            }
        }
        return out.toString();
    }

    /**
     * Segments {@code text} (NFKC-normalised) into words with part-of-speech tags. Letters and digits that
     * touch in the text stay one word ({@code 10K}, {@code 5k}, {@code COVID19}, tagged {@code nx}) although
     * HanLP splits them at the letter-digit boundary.
     */
    public static List<Word> words(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC);
        List<Term> terms = SegmenterHolder.SEGMENT.seg(normalized);
        List<Word> out = new ArrayList<>(terms.size());
        int cursor = 0;
        int previousEnd = -1;
        for (Term t : terms) {
            int start = normalized.indexOf(t.word, cursor);
            if (start >= 0) {
                cursor = start + t.word.length();
            }
            String word = t.word.strip();
            if (word.isEmpty()) {
                continue;
            }
            Word w = new Word(word, t.nature == null ? "x" : t.nature.toString());
            if (start >= 0 && start == previousEnd && !out.isEmpty()
                    && latinAlnum(out.getLast().text()) && latinAlnum(word)) {
                w = new Word(out.removeLast().text() + word, "nx"); // HanLP splits 10K into 10|K
            }
            out.add(w);
            previousEnd = start >= 0 ? cursor : -1;
        }
        return out;
    }

    /** A keyword candidate: lookup key (lower-case), first surface form, summed weight, first position. */
    public record Candidate(String key, String display, double score, int first) {
    }

    public static List<Candidate> rankedKeywords(String text) {
        Map<String, Candidate> byKey = new LinkedHashMap<>();
        List<Word> words = words(text);
        for (int i = 0; i < words.size(); i++) {
            Word w = words.get(i);
            String display = cleanLatin(w.text());
            double weight = weight(display, w.pos());
            if (weight <= 0) {
                continue;
            }
            String key = hasCjk(display) ? display : stem(display.toLowerCase(Locale.ROOT));
            int position = i;
            byKey.merge(key, new Candidate(key, display, weight, position),
                    (a, b) -> new Candidate(a.key(), a.display(), a.score() + b.score(), a.first()));
        }
        List<Candidate> ranked = new ArrayList<>(byKey.values());
        ranked.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparingInt(Candidate::first));
        return ranked;
    }

    /** Part-of-speech weight of a keyword candidate; 0 excludes it. */
    private static double weight(String word, String pos) {
        if (word.isEmpty() || pos.startsWith("w") || Stopwords.contains(word)) {
            return 0;
        }
        if (!hasCjk(word)) {
            if (!hasLetter(word) || word.length() < 2) {
                return 0;
            }
            return Character.isUpperCase(word.charAt(0)) ? 1.3 : 1.0;
        }
        if (pos.startsWith("nr") && SUSPECT_NAME_ENDINGS.indexOf(word.charAt(word.length() - 1)) >= 0) {
            return 0; // HanLP's name recogniser glues a surname-like char to a verb: 下|周去|杭州
        }
        double base = chineseWeight(pos);
        if (word.codePointCount(0, word.length()) == 1) {
            return pos.startsWith("n") ? base * 0.4 : 0;
        }
        return base;
    }

    private static double chineseWeight(String pos) {
        if (pos.startsWith("nr")) {
            return 1.6;
        }
        if (pos.startsWith("ns") || pos.startsWith("nt")) {
            return 1.5;
        }
        if (pos.startsWith("nz")) {
            return 1.3;
        }
        if (pos.startsWith("n")) {
            return 1.2;
        }
        if (pos.equals("vn") || pos.startsWith("g")) {
            return 1.0;
        }
        if (pos.startsWith("i") || pos.startsWith("j") || pos.startsWith("l")) {
            return 0.9;
        }
        if (pos.startsWith("v")) {
            return switch (pos) {
                case "vshi", "vyou", "vf", "vx", "vg" -> 0;
                default -> 0.7;
            };
        }
        if (pos.startsWith("a")) {
            return pos.equals("an") ? 0.8 : 0.4;
        }
        return 0;
    }

    private static void flush(StringBuilder current, List<String> out) {
        String s = current.toString().strip();
        if (!s.isEmpty() && hasLetterOrDigit(s)) {
            out.add(s);
        }
        current.setLength(0);
    }

    /** Strips possessive {@code 's} and non-alphanumeric edges from Latin words; CJK words pass unchanged. */
    private static String cleanLatin(String word) {
        if (hasCjk(word)) {
            return word;
        }
        String w = word.endsWith("'s") || word.endsWith("’s") ? word.substring(0, word.length() - 2) : word;
        int start = 0;
        int end = w.length();
        while (start < end && !Character.isLetterOrDigit(w.charAt(start))) {
            start++;
        }
        while (end > start && !Character.isLetterOrDigit(w.charAt(end - 1))) {
            end--;
        }
        return w.substring(start, end);
    }

    /** Light English stemming: a plural {@code s} (not {@code ss}, {@code us}, {@code is}) is removed. */
    private static String stem(String lower) {
        if (lower.length() > 3 && lower.endsWith("s") && !lower.endsWith("ss") && !lower.endsWith("us")
                && !lower.endsWith("is") && hasLetter(lower)) {
            return lower.substring(0, lower.length() - 1);
        }
        return lower;
    }

    /** Only ASCII letters and digits, at least one of them. */
    private static boolean latinAlnum(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c < 0x80 && Character.isLetterOrDigit(c));
    }

    public static boolean hasCjk(String s) {
        return s.codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN);
    }

    private static boolean hasLetter(String s) {
        return s.codePoints().anyMatch(Character::isLetter);
    }

    private static boolean hasLetterOrDigit(String s) {
        return s.codePoints().anyMatch(Character::isLetterOrDigit);
    }

    /** Lazy, thread-safe holder: HanLP's dictionaries load when this class initialises. */
    private static final class SegmenterHolder {
        static final Segment SEGMENT = HanLP.newSegment();
    }
}
