package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PastQuestionTest {
    @Test
    void words_of_the_past_make_a_past_question() {
        assertThat(PastQuestion.asks("我以前住在哪里？")).isTrue();
        assertThat(PastQuestion.asks("我之前最喜欢的电影是什么？")).isTrue();
        assertThat(PastQuestion.asks("What did Nadia use to eat?")).isTrue();
        assertThat(PastQuestion.asks("Where did she live before?")).isTrue();
        assertThat(PastQuestion.asks("Where did he work previously?")).isTrue();
    }

    @Test
    void a_present_question_is_not_one() {
        assertThat(PastQuestion.asks("我现在住在哪里？")).isFalse();
        assertThat(PastQuestion.asks("小林住在哪个城市？")).isFalse();
        assertThat(PastQuestion.asks("What knife do I use to cut bread?")).isFalse();
        assertThat(PastQuestion.asks(null)).isFalse();
    }
}
