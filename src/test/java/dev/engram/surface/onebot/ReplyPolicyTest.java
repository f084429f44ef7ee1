package dev.engram.surface.onebot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.surface.onebot.ReplyPolicy.Reason;
import dev.engram.testing.MutableClock;

class ReplyPolicyTest {
    private static final long SELF = 1;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));

    private static OneBotEvent.Message group(long groupId, String cq) {
        return new OneBotEvent.Message(SELF, true, groupId, 5, "1", "甲", CqCode.parse(cq));
    }

    private static Reason decide(ReplyPolicy p, OneBotEvent.Message m, boolean repliesToBot) {
        return p.decide(m, MessageText.render(m.segments(), SELF, qq -> null), repliesToBot);
    }

    @Test
    void private_messages_are_always_answered_and_groups_only_when_addressed() {
        ReplyPolicy p = new ReplyPolicy(List.of("小咪"), List.of("Engram"), 0, 0, () -> 0.0, clock);
        OneBotEvent.Message dm = new OneBotEvent.Message(SELF, false, 0, 5, "1", "甲", CqCode.parse("随便"));
        assertThat(decide(p, dm, false)).isEqualTo(Reason.PRIVATE);
        assertThat(decide(p, group(9, "[CQ:at,qq=1]在吗"), false)).isEqualTo(Reason.MENTIONED);
        assertThat(decide(p, group(9, "[CQ:reply,id=3]嗯"), true)).isEqualTo(Reason.REPLIED_TO);
        assertThat(decide(p, group(9, "小咪早"), false)).isEqualTo(Reason.CALLED);
        assertThat(decide(p, group(9, "问问 engram 吧"), false)).isEqualTo(Reason.CALLED); // any case
        assertThat(decide(p, group(9, "[CQ:at,qq=2]在吗"), false)).isEqualTo(Reason.NOT_ADDRESSED);
        assertThat(decide(p, group(9, "今天真热"), false)).isEqualTo(Reason.NOT_ADDRESSED);
    }

    @Test
    void the_rate_limit_counts_answers_per_group_in_a_sliding_minute() {
        ReplyPolicy p = new ReplyPolicy(List.of("小咪"), List.of(), 2, 0, () -> 0.0, clock);
        assertThat(decide(p, group(1, "小咪 一"), false)).isEqualTo(Reason.CALLED);
        clock.advance(Duration.ofSeconds(30));
        assertThat(decide(p, group(1, "小咪 二"), false)).isEqualTo(Reason.CALLED);
        assertThat(decide(p, group(1, "小咪 三"), false)).isEqualTo(Reason.RATE_LIMITED);
        assertThat(decide(p, group(2, "小咪 别的群"), false)).isEqualTo(Reason.CALLED);
        assertThat(decide(p, group(1, "不叫它"), false)).isEqualTo(Reason.NOT_ADDRESSED); // takes no slot
        clock.advance(Duration.ofSeconds(30)); // the first answer is now 60 s old: out of the window
        assertThat(decide(p, group(1, "小咪 四"), false)).isEqualTo(Reason.CALLED);
        assertThat(decide(p, group(1, "小咪 五"), false)).isEqualTo(Reason.RATE_LIMITED);
    }

    @Test
    void the_probability_answers_unaddressed_messages_by_the_injected_random_source() {
        ArrayDeque<Double> draws = new ArrayDeque<>(List.of(0.05, 0.5, 0.29, 0.3));
        ReplyPolicy p = new ReplyPolicy(List.of(), List.of(), 0, 0.3, draws::poll, clock);
        assertThat(List.of(decide(p, group(1, "a"), false), decide(p, group(1, "b"), false),
                decide(p, group(1, "c"), false), decide(p, group(1, "d"), false)))
                .containsExactly(Reason.CHANCE, Reason.NOT_ADDRESSED, Reason.CHANCE, Reason.NOT_ADDRESSED);
        assertThat(decide(p, group(1, "[CQ:at,qq=1]"), false)).isEqualTo(Reason.MENTIONED); // no draw needed
        assertThat(draws).isEmpty();
    }
}
