package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;


import org.junit.jupiter.api.Test;

/** The topic count rule. */
class TopicCountTest {

    @Test
    void topic_count_mixes_length_and_entropy_and_is_at_least_one() {
        assertThat(TopicCount.topicNum("a\n", 0.1)).isEqualTo(1);
        String rich = "当前日期: 2026-03-01\n" + "我下周去杭州旅游，想去西湖划船，再去灵隐寺看看。\n".repeat(1)
                + "公司下个月要搬到上海浦东，通勤时间会变长。\n".repeat(1) + "x\n".repeat(38);
        double h = TopicCount.entropy(rich);
        int byInfo = Math.clamp((int) ((h - 3) * 2), 1, 5);
        assertThat(TopicCount.topicNum(rich, 0.1)).isEqualTo((int) ((41 * 0.1 + byInfo) / 2));
        assertThat(TopicCount.topicNum("x\n".repeat(1_000), 1.0)).isEqualTo(TopicCount.MAX_TOPICS);
    }

    @Test
    void entropy_is_shannon_bits_per_character() {
        assertThat(TopicCount.entropy("")).isZero();
        assertThat(TopicCount.entropy("aaaa")).isZero();
        assertThat(TopicCount.entropy("abab")).isEqualTo(1.0);
        assertThat(TopicCount.entropy("abcd")).isEqualTo(2.0);
    }
}
