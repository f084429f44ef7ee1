package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimeExpressionsTest {
    private static final LocalDate TODAY = LocalDate.of(2024, 5, 1);
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** A Wednesday. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 4, 15, 0, 0, 0, ZONE);

    private static TimeRange days(String first, String endExclusive) {
        return TimeRange.days(LocalDate.parse(first), LocalDate.parse(endExclusive), ZONE);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "你还记得我们昨天聊的内容吗？|昨天",
            "今天早上说的那件事|今天",
            "刚才说的|今天",
            "前天去的那家店|前天",
            "大前天下雨了|3天前",
            "三天前小李说的|3天前",
            "两个星期前|14天前",
            "上周的会议|7天前",
            "5个月前的旅行|5个月前",
            "上个月|1个月前",
            "两年前|24个月前",
            "2024-03-05 14:30 的会|2024-03-05 14:30:00",
            "2023年12月25日|2023-12-25",
            "3月5号我们见过|2024-03-05",
            "12月25日|2023-12-25",
            "上周三说的|2024-04-24",
            "2024年2月的事|3个月前",
            "what did we say yesterday?|昨天",
            "the day before yesterday|前天",
            "3 days ago|3天前",
            "two weeks ago|14天前",
            "last week|7天前",
            "a month ago|1个月前",
            "earlier today|今天"})
    void reads_the_contract_time(String text, String expected) {
        assertThat(TimeExpressions.contractTime(text, TODAY)).contains(expected);
    }

    @Test
    void no_contract_time_when_none_is_named_or_expressible() {
        assertThat(TimeExpressions.contractTime("我喜欢吃火锅", TODAY)).isEmpty();
        assertThat(TimeExpressions.contractTime("前几天的事", TODAY)).isEmpty();
        assertThat(TimeExpressions.contractTime("明天的计划", TODAY)).isEmpty();
        assertThat(TimeExpressions.contractTime("3月5号", null)).isEmpty();
        assertThat(TimeExpressions.contractTime("", TODAY)).isEmpty();
    }

    @Test
    void every_contract_time_reads_back_as_a_range() {
        for (String time : new String[] {"今天", "昨天", "前天", "3天前", "14天前", "5个月前", "2024-03-05",
                "2024-03-05 14:30:00"}) {
            assertThat(TimeExpressions.range(time, NOW)).as(time).isPresent();
        }
    }

    @ParameterizedTest(name = "{0} -> [{1}, {2})")
    @CsvSource({
            "今天吃了什么,                  2026-03-04, 2026-03-05",
            "昨天我们聊了什么,              2026-03-03, 2026-03-04",
            "前天的电影好看吗,              2026-03-02, 2026-03-03",
            "大前天说的那家店,              2026-03-01, 2026-03-02",
            "两天前的事,                    2026-03-02, 2026-03-03",
            "5天前我说过什么,               2026-02-26, 2026-03-01",
            "三天前,                        2026-02-28, 2026-03-03",
            "三天前天气不错,                2026-02-28, 2026-03-03",
            "上周说的那本书,                2026-02-23, 2026-03-02",
            "上个星期三,                    2026-02-25, 2026-02-26",
            "两周前去的地方,                2026-02-16, 2026-02-23",
            "本周,                          2026-03-02, 2026-03-09",
            "2个月前的旅行,                 2026-01-01, 2026-02-01",
            "三个月前,                      2025-12-01, 2026-01-01",
            "上个月的账单,                  2026-02-01, 2026-03-01",
            "去年,                          2025-01-01, 2026-01-01",
            "2026-02-14那天,                2026-02-14, 2026-02-15",
            "2025年12月31日跨年,            2025-12-31, 2026-01-01",
            "2月14日情人节,                 2026-02-14, 2026-02-15",
            "12月25日圣诞,                  2025-12-25, 2025-12-26",
            "2025年11月的事,                2025-11-01, 2025-12-01",
            "明天的计划和昨天说的,          2026-03-03, 2026-03-04",
            "what did I say today,          2026-03-04, 2026-03-05",
            "what happened yesterday,       2026-03-03, 2026-03-04",
            "the day before yesterday,      2026-03-02, 2026-03-03",
            "3 days ago,                    2026-02-28, 2026-03-03",
            "two weeks ago,                 2026-02-16, 2026-02-23",
            "last week,                     2026-02-23, 2026-03-02",
            "last month,                    2026-02-01, 2026-03-01",
            "a month ago,                   2026-02-01, 2026-03-01",
            "last Monday,                   2026-03-02, 2026-03-03",
            "what did we do on 12 January 2026, 2026-01-12, 2026-01-13",
            "on March 1st,                  2026-03-01, 2026-03-02",
            "back in December,              2025-12-01, 2026-01-01",
            "in February 2025,              2025-02-01, 2025-03-01",
            "last year,                     2025-01-01, 2026-01-01"})
    void reads_relative_and_absolute_times_as_calendar_ranges(String text, String from, String to) {
        assertThat(TimeExpressions.range(text, NOW)).contains(days(from, to));
    }

    @Test
    void n_months_ago_is_a_whole_calendar_month_not_one_day() {
        TimeRange range = TimeExpressions.range("1个月前", NOW).orElseThrow();

        assertThat(range).isEqualTo(days("2026-02-01", "2026-03-01"));
    }

    @Test
    void a_date_time_gives_one_hour() {
        TimeRange range = TimeExpressions.range("2026-03-01 20:30:00", NOW).orElseThrow();

        assertThat(range.from()).isEqualTo(ZonedDateTime.of(2026, 3, 1, 20, 30, 0, 0, ZONE).toInstant());
        assertThat(range.to()).isEqualTo(ZonedDateTime.of(2026, 3, 1, 21, 30, 0, 0, ZONE).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "你还记得我的猫叫什么吗", "What is my cat's name?", "我可能3点到", "maybe 3 of them",
            "2月30日", "I may go", "mark 5 as done", "明天要面试", "see you tomorrow"})
    void text_without_a_past_time_means_no_filter(String text) {
        assertThat(TimeExpressions.range(text, NOW)).isEqualTo(Optional.empty());
    }

    @Test
    void the_zone_of_now_defines_the_day() {
        ZonedDateTime lateUtc = ZonedDateTime.of(2026, 3, 4, 23, 30, 0, 0, ZoneId.of("UTC"));

        TimeRange today = TimeExpressions.range("today", lateUtc).orElseThrow();

        assertThat(today).isEqualTo(TimeRange.day(LocalDate.of(2026, 3, 4), ZoneId.of("UTC")));
        assertThat(today.contains(lateUtc.toInstant())).isTrue();
    }

    @Test
    void finds_every_phrase_in_text_order_preferring_the_counted_one() {
        assertThat(TimeExpressions.find("两天前天气好，昨晚下雨", NOW.toLocalDate()))
                .extracting(TimeExpressions.Mention::meaning)
                .containsExactly(new TimeExpression.Days(-2, true, TimeExpression.PartOfDay.WHOLE_DAY),
                        new TimeExpression.Days(-1, false, TimeExpression.PartOfDay.EVENING));
    }

    @Test
    void parses_dates_written_as_iso_or_chinese() {
        assertThat(TimeExpressions.parseDate("2024-05-01T12:00:00")).isEqualTo(TODAY);
        assertThat(TimeExpressions.parseDate("2024年5月1日")).isEqualTo(TODAY);
        assertThat(TimeExpressions.parseDate("no date")).isNull();
    }
}
