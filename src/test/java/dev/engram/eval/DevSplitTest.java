package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DevSplitTest {
    private static LocomoSample sample(String id, String text) {
        return new LocomoSample(id, "A", "B", List.of(new LocomoSample.Session(1, null,
                List.of(new LocomoSample.Turn("A", "D1:1", text)))), List.of());
    }

    @Test
    void the_dev_set_splits_into_one_chinese_and_one_english_conversation_per_half() throws Exception {
        DevSplit split = DevSplit.of(LocomoLoader.loadDevSet());

        assertThat(split.a()).extracting(LocomoSample::sampleId).containsExactly("dev-en-1", "dev-zh-1");
        assertThat(split.b()).extracting(LocomoSample::sampleId).containsExactly("dev-en-2", "dev-zh-2");
        assertThat(split.a()).extracting(DevSplit::language).containsExactly("en", "zh");
    }

    @Test
    void halves_are_balanced_per_language_whatever_the_file_order() {
        List<LocomoSample> samples = List.of(sample("z2", "我对花生过敏"), sample("e2", "I like tea"),
                sample("z1", "下周三去上海 ok"), sample("e1", "My cat is Tofu"), sample("e3", "Hello there"));

        DevSplit split = DevSplit.of(samples);

        assertThat(split.a()).extracting(LocomoSample::sampleId).containsExactly("e1", "e3", "z2");
        assertThat(split.b()).extracting(LocomoSample::sampleId).containsExactly("e2", "z1");
    }

    @Test
    void one_conversation_cannot_be_split() {
        assertThatThrownBy(() -> DevSplit.of(List.of(sample("e1", "Hi"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two conversations");
    }
}
