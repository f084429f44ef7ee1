package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FactTest {
    @Test
    void a_first_person_fact_is_about_its_speaker_label() {
        assertThat(Fact.of("小林：我最喜欢的数字是 3")).contains(new Fact("小林", "最喜欢的数字是", "3"));
    }

    @Test
    void the_memory_label_and_trailing_punctuation_are_not_part_of_the_fact() {
        assertThat(Fact.of("记忆：我最爱的数字是 3。")).contains(new Fact("", "最喜欢的数字是", "3"));
    }

    @Test
    void an_allergy_has_its_value_inside_the_attribute() {
        assertThat(Fact.of("我对花生过敏")).contains(new Fact("", "对…过敏", "花生"));
    }

    @Test
    void a_named_subject_is_who_the_fact_is_about() {
        assertThat(Fact.of("小林住在上海")).contains(new Fact("小林", "住在", "上海"));
        assertThat(Fact.of("Caroline's favourite book is Dune")).contains(new Fact("caroline", "favoritebookis", "dune"));
    }

    @Test
    void questions_and_several_sentences_are_no_fact() {
        assertThat(Fact.of("我最喜欢的数字是什么？")).isEmpty();
        assertThat(Fact.of("我住在上海。我对花生过敏。")).isEmpty();
        assertThat(Fact.of("今天很开心")).isEmpty();
    }

    @Test
    void present_adverbs_changes_and_a_trailing_clause_keep_the_attribute() {
        assertThat(Fact.of("阿哲现在最喜欢的电影是《沙丘》了")).contains(new Fact("阿哲", "最喜欢的电影是", "沙丘"));
        assertThat(Fact.of("小林最喜欢的水果变成榴莲了")).contains(new Fact("小林", "最喜欢的水果是", "榴莲"));
        assertThat(Fact.of("老周又搬家了，现在住在大理")).isEmpty();
        assertThat(Fact.of("老周现在住在大理，天天晒太阳")).contains(new Fact("老周", "住在", "大理"));
        assertThat(Fact.of("阿哲现在在字节工作")).contains(new Fact("阿哲", "在…工作", "字节"));
    }

    @Test
    void a_speaker_label_stands_for_an_omitted_subject() {
        assertThat(Fact.of("老周：现在住在大理")).contains(new Fact("老周", "住在", "大理"));
        assertThat(Fact.of("小林：最喜欢的水果是芒果")).contains(new Fact("小林", "最喜欢的水果是", "芒果"));
        assertThat(Fact.of("现在住在大理")).isEmpty();
    }
}
