package dev.engram.llm.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The offline fact extraction: person, dates, clause splitting, quotes. */
class FactRewriterTest {
    private static final LocalDate WEDNESDAY = LocalDate.of(2026, 12, 2);

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "我叫小林，我对花生过敏|小林|小林对花生过敏",
            "下周三我要去上海出差|小林|小林 2026-12-09（周三）要去上海出差",
            "我最喜欢的电影是《千与千寻》|小林|小林最喜欢的电影是《千与千寻》",
            "我最喜欢的书是《我与地坛》|小林|小林最喜欢的书是《我与地坛》",
            "我妈说“我明天不回家”，她住在杭州|小林|小林妈说“我明天不回家”，她住在杭州",
            "我们下个月搬到深圳|阿哲|阿哲他们下个月搬到深圳",
            "我在做自我介绍的准备，明天面试|阿哲|阿哲在做自我介绍的准备，2026-12-03（周四）面试",
            "明天要交报告|阿哲|阿哲：2026-12-03（周四）要交报告",
            "记住：我最喜欢的数字是 3|user|我最喜欢的数字是 3",
            "I'm allergic to peanuts|John|John is allergic to peanuts",
            "My favourite movie is Spirited Away|John|John's favourite movie is Spirited Away",
            "I really like hiking with my dog|John|John really likes hiking with John's dog",
            "I gave a jar to Mr Patel|Nadia|Nadia gave a jar to Mr Patel",
            "I nearly cried|Nadia|Nadia nearly cried",
            "I fly to Oslo every month|Nadia|Nadia flies to Oslo every month",
            "I'm flying to Shanghai next Wednesday|John|John is flying to Shanghai on 2026-12-09 (Wednesday)",
            "We're moving to Berlin in March|Mia|Mia and others are moving to Berlin in March",
            "I watch \"I Am Legend\" every year|John|John watches \"I Am Legend\" every year"})
    void one_statement_becomes_one_self_contained_fact_of_the_speaker(String message, String speaker, String fact) {
        assertThat(FactRewriter.facts(message, speaker, WEDNESDAY)).containsExactly(fact);
    }

    @Test
    void several_facts_in_one_message_are_split() {
        assertThat(FactRewriter.facts("我对花生过敏；我住在杭州。我养了一只橘猫", "小林", WEDNESDAY))
                .containsExactly("小林对花生过敏", "小林住在杭州", "小林养了一只橘猫");
        assertThat(FactRewriter.facts("I'm allergic to peanuts and I live in Paris", "John", WEDNESDAY))
                .containsExactly("John is allergic to peanuts", "John lives in Paris");
    }

    @Test
    void a_statement_with_content_of_its_own_is_worth_remembering() {
        for (String fact : List.of("我上个月开始学做面包了", "I'm designing a board game", "Zoe's school has a science fair")) {
            String transcript = "当前日期: 2026-12-02\n10:00:00, Nadia :\n" + fact + "\n";
            assertThat(MemoryWorthiness.worthRemembering(transcript)).as(fact).isTrue();
        }
    }

    @Test
    void clauses_none_of_which_is_a_fact_alone_stay_one_fact_joined_in_their_language() {
        assertThat(FactRewriter.facts("It was fine. The lid was loose", "Nadia", WEDNESDAY))
                .containsExactly("Nadia: It was fine; The lid was loose");
        assertThat(FactRewriter.facts("面包烤好了。有点硬", "阿哲", WEDNESDAY)).containsExactly("阿哲：面包烤好了，有点硬");
    }

    @Test
    void questions_greetings_and_acknowledgements_are_no_facts() {
        for (String ack : List.of("恭喜恭喜", "必须的", "那国庆吧", "I think so too, honestly", "我今天好累啊")) {
            String transcript = "当前日期: 2026-12-02\n10:00:00, 小林 :\n" + ack + "\n";
            assertThat(MemoryWorthiness.worthRemembering(transcript)).as(ack).isFalse();
        }
        assertThat(FactRewriter.facts("我对什么过敏？", "小林", WEDNESDAY)).isEmpty();
        assertThat(FactRewriter.facts("好的，谢谢", "小林", WEDNESDAY)).isEmpty();
        assertThat(FactRewriter.facts("哈哈，我对花生过敏，你呢？", "小林", WEDNESDAY)).containsExactly("小林对花生过敏");
    }

    @Test
    void a_name_that_only_repeats_the_speaker_is_no_fact_but_another_name_is() {
        assertThat(FactRewriter.facts("我叫小林", "小林", WEDNESDAY)).isEmpty();
        assertThat(FactRewriter.facts("我叫小林", "xl_2026", WEDNESDAY)).containsExactly("xl_2026叫小林");
        assertThat(FactRewriter.facts("My name is John", "John", WEDNESDAY)).isEmpty();
    }

    @Test
    void dates_are_those_of_each_utterance_across_week_month_and_year_boundaries() {
        String transcript = """
                当前日期: 2026-12-31
                2026-11-29 10:00:00, 小林 :
                下周一我去面试
                09:00:00, 阿哲 :
                明天我回老家
                """;
        assertThat(FactRewriter.extract(transcript)).containsExactly(
                new FactRewriter.Extracted("小林", "小林 2026-11-30（周一）去面试", "2026-11-30"),
                new FactRewriter.Extracted("阿哲", "阿哲 2027-01-01（周五）回老家", "2027-01-01"));
    }

    @Test
    void clauses_split_on_sentence_ends_and_before_a_new_subject_but_never_inside_quotes() {
        assertThat(FactRewriter.clauses("我喜欢《我们仨；我与地坛》，我住在北京"))
                .isEqualTo(List.of("我喜欢《我们仨；我与地坛》", "我住在北京"));
        assertThat(FactRewriter.clauses("我今年三十岁，住在北京，在银行工作")).containsExactly("我今年三十岁，住在北京，在银行工作");
    }

    @Test
    void english_verbs_take_the_third_person() {
        assertThat(List.of("go", "watch", "study", "play", "have", "do", "was", "can", "miss"))
                .extracting(FactRewriter::thirdPerson)
                .containsExactly("goes", "watches", "studies", "plays", "has", "does", "was", "can", "misses");
    }
}
