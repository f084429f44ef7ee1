package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AbsoluteDatesTest {
    private static final LocalDate WRITTEN = LocalDate.of(2026, 3, 3); // a Tuesday

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "小林昨天去了西湖|小林 2026-03-02（周一）去了西湖",
            "阿哲说大前天和前天都加班|阿哲说 2026-02-28（周六）和 2026-03-01（周日）都加班",
            "小林明天要面试|小林 2026-03-04（周三）要面试",
            "三天前搬了家|2026-02-28（周六）搬了家",
            "昨晚看了电影|2026-03-02（周一）晚上看了电影",
            "上周三开了会|2026-02-25（周三）开了会",
            "下周日去爬山|2026-03-15（周日）去爬山",
            "这周五交报告|2026-03-06（周五）交报告",
            "这周一直在加班|这周一直在加班",
            "上周一起吃了饭|上周一起吃了饭",
            "Nadia went hiking yesterday|Nadia went hiking on 2026-03-02 (Monday)",
            "Owen starts the new job tomorrow|Owen starts the new job on 2026-03-04 (Wednesday)",
            "Iris adopted a cat 2 days ago|Iris adopted a cat on 2026-03-01 (Sunday)",
            "Marcus has been sober since yesterday|Marcus has been sober since 2026-03-02 (Monday)",
            "John flies to Oslo next Wednesday|John flies to Oslo on 2026-03-11 (Wednesday)",
            "小林的生日是5月3日|小林的生日是5月3日",
            "小林2026-03-20去北京|小林2026-03-20去北京"})
    void rewrites_relative_days_to_the_dates_they_meant_when_written(String text, String expected) {
        assertThat(AbsoluteDates.rewrite(text, WRITTEN)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
            "下周三|2026-12-02|2026-12-09（周三）",   // Wednesday → next week's Wednesday
            "下周一|2026-12-27|2026-12-28（周一）",   // Sunday → the next day, across the month... and year's last week
            "下周五|2026-12-28|2027-01-08（周五）",   // across the year
            "明天|2026-02-28|2026-03-01（周日）",     // across the month
            "上周日|2026-03-02|2026-03-01（周日）",
            "next Monday|2026-12-30|on 2027-01-04 (Monday)"})
    void weekdays_are_counted_in_calendar_weeks_across_month_and_year_boundaries(String text, String written,
                                                                                 String expected) {
        assertThat(AbsoluteDates.rewrite(text, LocalDate.parse(written))).isEqualTo(expected);
    }
}
