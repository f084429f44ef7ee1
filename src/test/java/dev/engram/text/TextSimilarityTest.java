package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The number rule of near-duplicate checks: digit runs after NFKC, compared as sorted lists. */
class TextSimilarityTest {
    @Test
    void numbers_are_the_digit_runs_of_a_text_after_nfkc_sorted() {
        assertThat(TextSimilarity.numbers("小林 2026-12-09 去上海，编号８１７")).containsExactly("09", "12", "2026", "817");
        assertThat(TextSimilarity.numbers("no digits here")).isEmpty();
        assertThat(TextSimilarity.numbers(null)).isEmpty();
    }

    @Test
    void texts_stating_other_numbers_are_not_the_same_although_their_shingles_nearly_are() {
        String a = "用户5喜欢上海和爬山，编号537";
        String b = "用户5喜欢上海和爬山，编号817";
        assertThat(TextSimilarity.jaccard(a, b)).isGreaterThan(0.8);
        assertThat(TextSimilarity.sameNumbers(a, b)).isFalse();
        assertThat(TextSimilarity.sameNumbers("Mel turned 30 in May", "in May Mel turned 30!")).isTrue();
        assertThat(TextSimilarity.sameNumbers("我最喜欢的数字是 1", "我最喜欢的数字是 2")).isFalse();
    }
}
