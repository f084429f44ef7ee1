package dev.engram.eval;

import java.text.Normalizer;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.engram.text.TextAnalysis;

/**
 * Whether a gold answer is contained in an injected memory block: an LLM-free proxy of whether the
 * reply model could answer from what it was given.
 * <ol>
 *   <li>Both texts are normalised: NFKC, lower-cased ({@link Locale#ROOT}), every punctuation or symbol
 *       character ({@code \p{P}}, {@code \p{S}}) replaced by a space.</li>
 *   <li>Answer tokens are the distinct {@link TextAnalysis#tokens} of the answer (segmented, Chinese-aware,
 *       stop words removed, plural {@code s} stemmed). An answer with no such tokens (a bare {@code 7},
 *       a single letter) uses its distinct segmented words instead.</li>
 *   <li>Block tokens are the block's {@link TextAnalysis#tokens} together with its segmented words, so
 *       either kind of answer token can match.</li>
 *   <li>{@code overlap = |answer tokens ∩ block tokens| / |answer tokens|}; the answer is contained when
 *       {@code overlap ≥} {@value #THRESHOLD}. An answer without any token is not scorable
 *       ({@link #overlap} returns {@code NaN}).</li>
 * </ol>
 * Pure; thread-safe.
 */
public final class AnswerContainment {
    /** Least share of answer tokens found in the block for the answer to count as contained. */
    public static final double THRESHOLD = 0.8;

    private AnswerContainment() {
    }

    /** The share of {@code answer}'s tokens found in {@code block}, {@code NaN} when the answer has none. */
    public static double overlap(String answer, String block) {
        if (answer == null) return Double.NaN;
        Set<String> wanted = answerTokens(answer);
        if (wanted.isEmpty()) return Double.NaN;
        Set<String> have = blockTokens(block == null ? "" : block);
        long found = wanted.stream().filter(have::contains).count();
        return (double) found / wanted.size();
    }

    /** Whether {@code overlap(answer, block) ≥} {@value #THRESHOLD} (false when not scorable). */
    public static boolean contained(String answer, String block) {
        return overlap(answer, block) >= THRESHOLD;
    }

    /** The block a reply prompt would carry: the texts of {@code units}, one a line. */
    public static String block(List<RecalledUnit> units) {
        StringBuilder sb = new StringBuilder();
        for (RecalledUnit u : units) sb.append(u.text()).append('\n');
        return sb.toString();
    }

    static String normalise(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return s.replaceAll("[\\p{P}\\p{S}]", " ");
    }

    private static Set<String> answerTokens(String answer) {
        String norm = normalise(answer);
        Set<String> tokens = new LinkedHashSet<>(TextAnalysis.tokens(norm));
        return tokens.isEmpty() ? words(norm) : tokens;
    }

    private static Set<String> blockTokens(String block) {
        String norm = normalise(block);
        Set<String> tokens = new HashSet<>(TextAnalysis.tokens(norm));
        tokens.addAll(words(norm));
        return tokens;
    }

    private static Set<String> words(String norm) {
        Set<String> out = new LinkedHashSet<>();
        for (TextAnalysis.Word w : TextAnalysis.words(norm)) {
            String word = w.text().strip();
            if (word.codePoints().anyMatch(Character::isLetterOrDigit)) out.add(word);
        }
        return out;
    }
}
