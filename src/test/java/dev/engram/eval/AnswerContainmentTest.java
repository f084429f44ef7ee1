package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AnswerContainmentTest {
    @Test
    void an_answer_is_contained_when_its_normalised_tokens_appear_in_the_block() {
        String block = "Melanie: I signed up for a POTTERY class yesterday!\nCaroline: Good luck.";

        assertThat(AnswerContainment.overlap("pottery class", block)).isEqualTo(1.0);
        assertThat(AnswerContainment.contained("Pottery, class!", block)).isTrue(); // case, punctuation
        assertThat(AnswerContainment.contained("Dogs", "She walks her dog.")).isTrue(); // plural s
    }

    @Test
    void a_partly_present_answer_below_the_threshold_is_not_contained() {
        String block = "Caroline moved from Sweden four years ago.";

        assertThat(AnswerContainment.overlap("Sweden and Norway", block)).isCloseTo(0.5, within(1e-12));
        assertThat(AnswerContainment.contained("Sweden and Norway", block)).isFalse();
        assertThat(AnswerContainment.contained("Sweden", block)).isTrue();
    }

    @Test
    void chinese_answers_are_segmented_and_full_width_forms_normalised() {
        String block = "小林：我叫小林，我对花生过敏\n小林：下周三我要去上海出差";

        assertThat(AnswerContainment.contained("花生", block)).isTrue();
        assertThat(AnswerContainment.contained("上海", block)).isTrue();
        assertThat(AnswerContainment.contained("北京", block)).isFalse();
        assertThat(AnswerContainment.contained("ＳＨＡＮＧＨＡＩ", "we flew to shanghai")).isTrue(); // NFKC
    }

    @Test
    void short_numbers_and_letters_are_matched_as_words() {
        assertThat(AnswerContainment.contained("7", "She has 7 cats.")).isTrue();
        assertThat(AnswerContainment.contained("7", "She has 17 cats.")).isFalse();
    }

    @Test
    void an_answer_without_tokens_is_not_scorable() {
        assertThat(AnswerContainment.overlap(null, "anything")).isNaN();
        assertThat(AnswerContainment.overlap("?!", "anything")).isNaN();
        assertThat(AnswerContainment.contained(null, "anything")).isFalse();
    }
}
