package dev.engram.surface.onebot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The string message format and the array format of {@code message/string.md} and {@code message/array.md}. */
class CqCodeTest {
    @Test
    void the_spec_example_parses_into_face_text_and_image() {
        assertThat(CqCode.parse("[CQ:face,id=178]看看我刚拍的照片[CQ:image,file=123.jpg]")).containsExactly(
                new Segment("face", Map.of("id", "178")), Segment.text("看看我刚拍的照片"),
                new Segment("image", Map.of("file", "123.jpg")));
    }

    @Test
    void values_keep_equals_signs_after_the_first_and_are_unescaped() {
        assertThat(CqCode.parse("[CQ:share,title=标题中有=等号,url=http://baidu.com]")).containsExactly(
                new Segment("share", Map.of("title", "标题中有=等号", "url", "http://baidu.com")));
        assertThat(CqCode.parse("[CQ:share,title=震惊&#44;小伙睡觉前居然...,url=http://baidu.com/?a=1&amp;b=2]"))
                .containsExactly(new Segment("share", Map.of("title", "震惊,小伙睡觉前居然...",
                        "url", "http://baidu.com/?a=1&b=2")));
    }

    @Test
    void plain_text_is_unescaped_and_an_escaped_escape_stays_literal() {
        assertThat(CqCode.parse("- &#91;x&#93; 使用 `&amp;data` 获取地址"))
                .containsExactly(Segment.text("- [x] 使用 `&data` 获取地址"));
        assertThat(CqCode.parse("&amp;#91;")).containsExactly(Segment.text("&#91;"));
    }

    @Test
    void codes_without_parameters_and_unterminated_codes() {
        assertThat(CqCode.parse("[CQ:shake]")).containsExactly(new Segment("shake", Map.of()));
        assertThat(CqCode.parse("前[CQ:at,qq=1")).containsExactly(Segment.text("前[CQ:at,qq=1"));
        assertThat(CqCode.parse("")).isEmpty();
    }

    @Test
    void the_array_format_reads_numbers_as_text_and_agrees_with_the_string_format() throws Exception {
        var array = new ObjectMapper().readTree("""
                [{"type":"at","data":{"qq":10001000}},{"type":"text","data":{"text":" 你好"}},
                 {"type":"reply","data":{"id":"-12"}}]""");
        assertThat(EventDecoder.segments(array))
                .isEqualTo(CqCode.parse("[CQ:at,qq=10001000] 你好[CQ:reply,id=-12]"));
    }
}
