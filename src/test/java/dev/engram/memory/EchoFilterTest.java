package dev.engram.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EchoFilterTest {
    @Test
    void the_offline_template_reply_has_nothing_memorable() {
        String reply = "[Engram 离线模式] 收到：我对什么过敏？\n我回忆起：\n- 小林: 我叫小林，我对花生过敏\n（未配置在线大模型，这是一条模板回复。）";

        assertThat(EchoFilter.isOfflineTemplate(reply)).isTrue();
        assertThat(EchoFilter.memorable(reply, List.of())).isEmpty();
    }

    @Test
    void sentences_restating_an_injected_memory_are_dropped_and_the_rest_is_kept() {
        String reply = "你对花生过敏，点外卖时要注意。我明天早上八点提醒你带伞。";

        String memorable = EchoFilter.memorable(reply, List.of("小林: 我叫小林，我对花生过敏", "小林: 我最喜欢的电影是《千与千寻》"));

        assertThat(memorable).isEqualTo("点外卖时要注意。我明天早上八点提醒你带伞。");
    }

    @Test
    void a_sentence_that_only_restates_memories_is_dropped_with_its_terminator() {
        String reply = "好的。记得你下周三要去上海出差，还有你对花生过敏。";

        String memorable = EchoFilter.memorable(reply, List.of("小林: 下周三我要去上海出差", "小林: 我对花生过敏"));

        assertThat(memorable).isEqualTo("好的。");
    }

    @Test
    void an_echoed_memory_block_is_dropped() {
        String reply = "以下是当前在聊天中，你回忆起的记忆：\n- 小林: 下周三我要去上海出差\n- 小林: 我对花生过敏\n祝你出差顺利！";

        assertThat(EchoFilter.memorable(reply, List.of())).isEqualTo("祝你出差顺利！");
    }

    @Test
    void a_reply_unrelated_to_the_memories_is_kept_whole() {
        String reply = "我会在周五前把报告发给你。";

        assertThat(EchoFilter.memorable(reply, List.of("小林: 我对花生过敏"))).isEqualTo(reply);
    }
}
