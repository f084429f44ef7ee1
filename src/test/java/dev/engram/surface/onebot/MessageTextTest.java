package dev.engram.surface.onebot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MessageTextTest {
    private static final long SELF = 42;

    private static MessageText.Rendered render(String cq) {
        return MessageText.render(CqCode.parse(cq), SELF, qq -> qq == 7 ? "小红" : null);
    }

    @Test
    void the_at_of_the_bot_is_dropped_and_noted_other_ats_are_rendered_by_name() {
        MessageText.Rendered r = render("[CQ:at,qq=42] 问一下[CQ:at,qq=7][CQ:at,qq=8][CQ:at,qq=all]");
        assertThat(r.mentionsSelf()).isTrue();
        assertThat(r.text()).isEqualTo("问一下@小红 @8 @全体成员");
        assertThat(render("[CQ:at,qq=9,name=阿哲]你好").text()).isEqualTo("@阿哲 你好");
        assertThat(render("[CQ:at,qq=9]你好").mentionsSelf()).isFalse();
    }

    @Test
    void a_reply_is_noted_not_rendered_and_media_become_placeholders() {
        MessageText.Rendered r = render("[CQ:reply,id=123][CQ:face,id=1]看[CQ:image,file=a.jpg][CQ:image,file=b,type=flash]"
                + "[CQ:record,file=c][CQ:video,file=d][CQ:file,file=e][CQ:share,url=u,title=标题][CQ:unknownthing]");
        assertThat(r.replyTo()).isEqualTo("123");
        assertThat(r.text()).isEqualTo("[表情]看[图片][闪照][语音][视频][文件][链接]标题 [unknownthing]");
    }

    @Test
    void a_message_with_only_the_at_of_the_bot_renders_empty() {
        MessageText.Rendered r = MessageText.render(List.of(new Segment("at", Map.of("qq", "42"))), SELF, qq -> null);
        assertThat(r.text()).isEmpty();
        assertThat(r.mentionsSelf()).isTrue();
    }
}
