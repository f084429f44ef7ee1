package dev.engram.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.model.ChatMessage;

/** The one transcript format: rendering, and reading it (and looser chat text) back. */
class TranscriptTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
    private long ids;

    private ChatMessage msg(String user, String text, long secondsAfter) {
        return new ChatMessage(++ids, "c1", ChatMessage.Role.USER, user, user, text, T.plusSeconds(secondsAfter), 0, null);
    }

    @Test
    void merges_one_senders_messages_within_60_s_under_one_header() {
        String text = Transcript.render(List.of(
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
    void uses_the_newest_messages_date_in_the_configured_zone_and_keeps_headers_parseable() {
        ChatMessage late = new ChatMessage(1, "c1", ChatMessage.Role.USER, "u1", "Dr: Who", "多行\n内容",
                Instant.parse("2026-02-27T17:30:00Z"), 0, null);

        String text = Transcript.render(List.of(late), ZoneId.of("Asia/Shanghai"));

        assertThat(text).isEqualTo("当前日期: 2026-02-28\n01:30:00, Dr  Who :\n多行 内容\n");
    }

    @Test
    void a_block_of_an_earlier_day_carries_its_date_and_reads_back_with_it() {
        String text = Transcript.render(List.of(msg("小林", "我昨天去了西湖", -86_400), msg("小王", "真好", 0)),
                ZoneOffset.UTC);

        assertThat(text).isEqualTo("当前日期: 2026-03-01\n2026-02-28 10:00:00, 小林 :\n我昨天去了西湖\n10:00:00, 小王 :\n真好\n");
        assertThat(Transcript.parse(text).utterances()).containsExactly(
                new Transcript.Utterance("2026-02-28", "10:00:00", "小林", "我昨天去了西湖"),
                new Transcript.Utterance("2026-03-01", "10:00:00", "小王", "真好"));
    }

    @Test
    void renders_nothing_for_no_messages() {
        assertThat(Transcript.render(List.of(), ZoneOffset.UTC)).isEmpty();
        assertThat(Transcript.parse("").utterances()).isEmpty();
    }

    @Test
    void reads_speaker_lines_and_speakerless_text_too() {
        Transcript t = Transcript.parse("当前日期: 2024-05-01T12:00:00\n小明：哈哈\n10:01, 小红: 我对海鲜过敏\n记住这个");

        assertThat(t.date()).isEqualTo("2024-05-01");
        assertThat(t.utterances()).containsExactly(
                new Transcript.Utterance("2024-05-01", null, "小明", "哈哈"),
                new Transcript.Utterance("2024-05-01", "10:01", "小红", "我对海鲜过敏\n记住这个"));
        assertThat(t.contentText()).isEqualTo("哈哈\n我对海鲜过敏\n记住这个\n");
    }
}
