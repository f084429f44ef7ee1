package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AbsoluteDatesTest {
    private static final LocalDate WRITTEN = LocalDate.of(2026, 3, 3);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "小林昨天去了西湖|小林2026年3月2日去了西湖",
            "阿哲说大前天和前天都加班|阿哲说2026年2月28日和2026年3月1日都加班",
            "小林明天要面试|小林2026年3月4日要面试",
            "三天前搬了家|2026年2月28日搬了家",
            "昨晚看了电影|2026年3月2日晚上看了电影",
            "Nadia went hiking yesterday|Nadia went hiking on 2026-03-02",
            "Owen starts the new job tomorrow|Owen starts the new job on 2026-03-04",
            "Iris adopted a cat 2 days ago|Iris adopted a cat on 2026-03-01",
            "Marcus has been sober since yesterday|Marcus has been sober since 2026-03-02",
            "小林的生日是5月3日|小林的生日是5月3日"})
    void rewrites_relative_days_to_the_dates_they_meant_when_written(String text, String expected) {
        assertThat(AbsoluteDates.rewrite(text, WRITTEN)).isEqualTo(expected);
    }
}
