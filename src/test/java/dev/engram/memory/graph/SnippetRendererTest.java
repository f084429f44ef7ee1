package dev.engram.memory.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.model.ChatMessage;

/** Readable rendering with the date, and the topic count rule. */
class SnippetRendererTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private long ids;

    private ChatMessage msg(String user, String text, long secondsAfter) {
        return new ChatMessage(++ids, "c1", ChatMessage.Role.USER, user, user, text, T.plusSeconds(secondsAfter), 0, null);
    }

    @Test
    void merges_one_senders_messages_within_60_s_under_one_header() {
        String text = SnippetRenderer.render(List.of(
                msg("小林", "我下周去杭州", 0),
                msg("小林", "顺便看看西湖", 30),
                msg("小王", "好呀", 45),
                msg("小王", "记得带伞", 200)), ZoneOffset.UTC);

        assertThat(text).isEqualTo("""
                当前日期: 2026-03-01
                10:00:00, 小林 :
                我下周去杭州
                顺便看看西湖
                10:00:45, 小王 :
                好呀
                10:03:20, 小王 :
                记得带伞
                """);
    }

    @Test
    void uses_the_snippets_own_date_in_the_configured_zone_and_keeps_headers_parseable() {
        ChatMessage late = new ChatMessage(1, "c1", ChatMessage.Role.USER, "u1", "Dr: Who", "多行\n内容",
                Instant.parse("2026-02-27T17:30:00Z"), 0, null);

        String text = SnippetRenderer.render(List.of(late), ZoneId.of("Asia/Shanghai"));

        assertThat(text).isEqualTo("当前日期: 2026-02-28\n01:30:00, Dr  Who :\n多行 内容\n");
    }

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
