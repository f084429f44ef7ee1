package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

class SimilarityCalibrationTest {
    /** Bag of words hashed into 64 dimensions, L2-normalised: texts sharing words are similar. */
    private static List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            float[] v = new float[64];
            for (String w : t.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", "").split(" ")) {
                if (!w.isBlank()) v[Math.floorMod(w.hashCode(), 64)] += 1;
            }
            double n = 0;
            for (float x : v) n += x * x;
            for (int i = 0; i < v.length; i++) v[i] /= (float) Math.sqrt(n);
            out.add(v);
        }
        return out;
    }

    private static LocomoSample chat(String id, String topic) {
        List<LocomoSample.Turn> turns = new ArrayList<>();
        List<LocomoSample.Question> questions = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String word = topic + (char) ('a' + i);
            turns.add(new LocomoSample.Turn("A", "D1:" + i, "today " + word + " happened again"));
            questions.add(new LocomoSample.Question("what happened " + word + " today", "x", List.of("D1:" + i), 4));
        }
        questions.add(new LocomoSample.Question("adversarial " + topic, null, List.of("D1:1"), 5));
        return new LocomoSample(id, "A", "B", List.of(new LocomoSample.Session(1, null, turns)), questions);
    }

    @Test
    void unrelated_pairs_come_from_other_conversations_and_related_ones_from_the_evidence() {
        var d = SimilarityCalibration.measure("bag", SimilarityCalibrationTest::embed,
                List.of(chat("e1", "red"), chat("e2", "blue")));

        assertThat(d.unrelated()).hasSize(2 * 10 * 10); // categories 1-4 only, each against the other chat's turns
        assertThat(d.related()).hasSize(20);
        assertThat(d.unrelatedPercentile(99)).isLessThan(d.related()[0]);
        assertThat(d.relatedKept(d.related()[0])).isEqualTo(1.0);
        assertThat(d.relatedKept(d.related()[d.related().length - 1] + 1e-6)).isZero();
        assertThat(d.unrelatedRank(d.related()[0])).isEqualTo(100.0);
        assertThat(d.threshold()).isEqualTo(Math.round(d.unrelatedPercentile(99) * 100) / 100.0);
        assertThat(d.line()).startsWith("bag").contains("p99", "median");
    }

    @Test
    void a_language_with_one_conversation_cannot_be_calibrated() {
        assertThatThrownBy(() -> SimilarityCalibration.measure("bag", SimilarityCalibrationTest::embed,
                List.of(chat("e1", "red"), chat("e2", "blue")), "zh")).isInstanceOf(IllegalArgumentException.class);
    }
}
