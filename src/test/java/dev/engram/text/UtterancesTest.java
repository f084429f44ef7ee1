package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UtterancesTest {
    @ParameterizedTest
    @ValueSource(strings = {"我对什么过敏？", "我对什么过敏", "你还记得我喜欢什么电影吗", "下周三去哪儿", "What am I allergic to?",
            "where did I go last week", "你几点下班呢。"})
    void questions_are_questions(String text) {
        assertThat(Utterances.isQuestion(text)).isTrue();
        assertThat(Utterances.isNotAFact(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"我对花生过敏", "我叫小林，我对花生过敏", "下周三我要去上海出差", "我什么都吃。", "I am allergic to peanuts.",
            "我对花生过敏。你记住了吗？", "好的，我明天八点到"})
    void statements_are_not_questions(String text) {
        assertThat(Utterances.isQuestion(text)).isFalse();
        assertThat(Utterances.isNotAFact(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"好的", "谢谢", "哈哈", "哈哈哈哈哈", "你好", "嗯嗯", "好的谢谢！", "OK", "thanks!", "Good morning", "晚安~", "👍"})
    void greetings_acknowledgements_and_laughter_are_small_talk(String text) {
        assertThat(Utterances.isSmallTalk(text)).isTrue();
        assertThat(Utterances.isNotAFact(text)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"好的我记住你对花生过敏了", "你好，我叫小林", "谢谢你推荐的《千与千寻》"})
    void small_talk_words_inside_a_statement_do_not_make_it_small_talk(String text) {
        assertThat(Utterances.isSmallTalk(text)).isFalse();
    }
}
