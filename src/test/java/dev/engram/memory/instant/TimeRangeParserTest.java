package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TimeRangeParserTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** A Wednesday. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 4, 15, 0, 0, 0, ZONE);

    private static TimeRange days(String first, String endExclusive) {
        return TimeRange.days(LocalDate.parse(first), LocalDate.parse(endExclusive), ZONE);
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
    void parses_relative_and_absolute_times_into_calendar_ranges(String text, String from, String to) {
        assertThat(TimeRangeParser.parse(text, NOW)).contains(days(from, to));
    }

    @Test
    void n_months_ago_is_a_whole_calendar_month_not_one_day() {
        TimeRange range = TimeRangeParser.parse("1个月前", NOW).orElseThrow();

        assertThat(range).isEqualTo(days("2026-02-01", "2026-03-01"));
    }

    @Test
    void a_date_time_gives_one_hour() {
        TimeRange range = TimeRangeParser.parse("2026-03-01 20:30:00", NOW).orElseThrow();

        assertThat(range.from()).isEqualTo(ZonedDateTime.of(2026, 3, 1, 20, 30, 0, 0, ZONE).toInstant());
        assertThat(range.to()).isEqualTo(ZonedDateTime.of(2026, 3, 1, 21, 30, 0, 0, ZONE).toInstant());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "你还记得我的猫叫什么吗", "What is my cat's name?", "我可能3点到", "maybe 3 of them",
            "2月30日", "I may go", "mark 5 as done"})
    void text_without_a_time_means_no_filter(String text) {
        assertThat(TimeRangeParser.parse(text, NOW)).isEqualTo(Optional.empty());
    }

    @Test
    void the_zone_of_now_defines_the_day() {
        ZonedDateTime lateUtc = ZonedDateTime.of(2026, 3, 4, 23, 30, 0, 0, ZoneId.of("UTC"));

        TimeRange today = TimeRangeParser.parse("today", lateUtc).orElseThrow();

        assertThat(today).isEqualTo(TimeRange.day(LocalDate.of(2026, 3, 4), ZoneId.of("UTC")));
        assertThat(today.contains(lateUtc.toInstant())).isTrue();
    }
}
