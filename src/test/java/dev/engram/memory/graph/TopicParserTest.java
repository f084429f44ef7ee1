package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Topic parsing edge cases (D-H6). */
class TopicParserTest {
    private final TopicParser parser = new TopicParser(List.of("表情包", "图片", "回复", "聊天记录", "Meme"));

    @Test
    void none_never_becomes_a_concept() {
        assertThat(parser.parse("<none>", 5)).isEmpty();
        assertThat(parser.parse("<NONE>", 5)).isEmpty();
        assertThat(parser.parse("<无>", 5)).isEmpty();
        assertThat(parser.parse("没有找到任何概念", 5)).as("no <…> at all").isEmpty();
        assertThat(parser.parse("", 5)).isEmpty();
        assertThat(parser.parse(null, 5)).isEmpty();
        assertThat(parser.parse("<>,< >,<，>", 5)).isEmpty();
    }

    @Test
    void multi_word_topics_stay_whole() {
        assertThat(parser.parse("<New York>,<machine   learning>", 5)).containsExactly("New York", "machine learning");
    }

    @Test
    void splits_on_chinese_and_english_commas_and_enumeration_marks() {
        assertThat(parser.parse("<杭州，西湖、花生过敏>,<猫>", 5)).containsExactly("杭州", "西湖", "花生过敏", "猫");
    }

    @Test
    void ban_words_match_anywhere_ignoring_case_and_width() {
        assertThat(parser.parse("<发表情包>,<图片分享>,<杭州>,<funny MEME>,<ｍｅｍｅ>", 5)).containsExactly("杭州");
    }

    @Test
    void duplicates_by_normalised_form_collapse_keeping_the_first_spelling() {
        assertThat(parser.parse("<Hangzhou>,<hangzhou>,<ＨＡＮＧＺＨＯＵ>,<西湖>", 5)).containsExactly("Hangzhou", "西湖");
    }

    @Test
    void strips_quotes_and_brackets_and_drops_sentences_and_punctuation() {
        assertThat(parser.parse("<“杭州”>,<《三体》>,<!!!>,<这是一整句话而不是一个概念因为它实在是太长太长太长太长太长太长太长了吧>", 5))
                .containsExactly("杭州", "三体");
    }

    @Test
    void keeps_at_most_the_requested_number() {
        assertThat(parser.parse("<a1>,<b2>,<c3>,<d4>", 2)).containsExactly("a1", "b2");
    }

    @Test
    void ignores_reasoning_blocks() {
        assertThat(parser.parse("<think><想想></think><杭州>", 5)).containsExactly("杭州");
    }
}
