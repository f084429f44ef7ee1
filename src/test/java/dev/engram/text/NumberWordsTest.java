package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NumberWordsTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({"十二, 12", "二十, 20", "两, 2", "seven, 7", "42, 42", "a few, 3", "两百三十, 230", "'', 0", "many, 0"})
    void parses_numbers_in_digits_chinese_and_english(String text, int value) {
        assertThat(NumberWords.parse(text)).isEqualTo(value);
    }
}
