package dev.engram.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class TimeExpressionsTest {

    private static final LocalDate TODAY = LocalDate.of(2024, 5, 1);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "你还记得我们昨天聊的内容吗？|昨天",
            "今天早上说的那件事|今天",
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
            "what did we say yesterday?|昨天",
            "the day before yesterday|前天",
            "3 days ago|3天前",
            "two weeks ago|14天前",
            "last week|7天前",
            "a month ago|1个月前",
            "earlier today|今天"})
    void detects_contract_time(String text, String expected) {
        assertThat(TimeExpressions.detect(text, TODAY)).contains(expected);
    }

    @Test
    void no_time_means_empty() {
        assertThat(TimeExpressions.detect("我喜欢吃火锅", TODAY)).isEmpty();
        assertThat(TimeExpressions.detect("前几天的事", TODAY)).isEmpty();
        assertThat(TimeExpressions.detect("3月5号", null)).isEmpty();
        assertThat(TimeExpressions.detect("", TODAY)).isEmpty();
    }

    @Test
    void parses_numbers_in_digits_chinese_and_english() {
        assertThat(TimeExpressions.parseNumber("十二")).isEqualTo(12);
        assertThat(TimeExpressions.parseNumber("二十")).isEqualTo(20);
        assertThat(TimeExpressions.parseNumber("两")).isEqualTo(2);
        assertThat(TimeExpressions.parseNumber("seven")).isEqualTo(7);
        assertThat(TimeExpressions.parseNumber("42")).isEqualTo(42);
        assertThat(TimeExpressions.parseDate("2024-05-01T12:00:00")).isEqualTo(TODAY);
    }
}
