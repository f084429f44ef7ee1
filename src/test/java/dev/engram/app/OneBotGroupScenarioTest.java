package dev.engram.app;

import static dev.engram.surface.onebot.OneBotSimulator.at;
import static dev.engram.surface.onebot.OneBotSimulator.cq;
import static dev.engram.surface.onebot.OneBotSimulator.cqText;
import static dev.engram.surface.onebot.OneBotSimulator.reply;
import static dev.engram.surface.onebot.OneBotSimulator.segment;
import static dev.engram.surface.onebot.OneBotSimulator.segments;
import static dev.engram.surface.onebot.OneBotSimulator.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.engram.model.ChatMessage;
import dev.engram.surface.onebot.OneBotSimulator;
import dev.engram.surface.onebot.OneBotSimulator.Action;
import dev.engram.surface.onebot.OneBotSimulator.Reverse;
import dev.engram.testing.MutableClock;

/**
 * Issue 11's "done when" for OneBot: a simulated group of 5 speakers and 200 messages (both message formats,
 * with @-mentions, calls by name and keyword, replies to the bot, a burst past the rate limit, and
 * redeliveries). The bot answers exactly the messages its policy selects, every message is stored once, and a
 * later question recalls facts from messages it only observed.
 */
class OneBotGroupScenarioTest {
    static final String TOKEN = "onebot-test-token";
    static final long SELF = 10001000L;
    static final long GROUP = 654321L;
    static final String CHAT = "qq:group:" + GROUP;
    static final int PER_MINUTE = 3;
    static final String[] NAMES = {"张三", "李四", "王五", "赵六", "钱七"};
    static final String[] TOPICS = {"天气", "午饭", "游戏", "电影", "作业", "地铁", "咖啡", "篮球", "音乐", "周末", "快递"};
    static final String[] TEMPLATES = {"大家觉得%s怎么样", "我刚才在想%s的事", "%s真让人头疼", "随便聊聊%s吧",
            "说到%s我就开心", "%s这事儿你们怎么看"};

    @TempDir
    Path dir;

    /** How message i addresses the bot (or not). */
    enum Kind { CHATTER, MENTION, NAME, KEYWORD, REPLY_TO_BOT, REPLY_TO_USER, AT_OTHER, FACT }

    static Kind kind(int i) {
        if (i == 12 || i == 57 || i == 123) return Kind.FACT;
        if (i >= 150 && i <= 154) return Kind.MENTION; // a burst, one second apart
        if (i == 45 || i == 101 || i == 170) return Kind.REPLY_TO_BOT;
        if (i == 60 || i == 130) return Kind.REPLY_TO_USER;
        if (i % 23 == 7) return Kind.MENTION;
        if (i % 31 == 19) return Kind.NAME;
        if (i % 37 == 30) return Kind.KEYWORD;
        if (i % 29 == 3) return Kind.AT_OTHER;
        return Kind.CHATTER;
    }

    static boolean addressed(Kind k) {
        return k == Kind.MENTION || k == Kind.NAME || k == Kind.KEYWORD || k == Kind.REPLY_TO_BOT;
    }

    static String fact(int i) {
        return switch (i) {
            case 12 -> "我家的猫叫年糕，已经三岁了";
            case 57 -> "我下个月要去成都出差一个星期";
            default -> "我最喜欢吃的水果是榴莲";
        };
    }

    static int speaker(int i) {
        return switch (i) {
            case 12 -> 0; // 张三
            case 57 -> 1; // 李四
            case 123 -> 2; // 王五
            default -> i % 5;
        };
    }

    @Test
    void the_bot_answers_exactly_what_its_policy_selects_stores_everything_once_and_recalls_what_it_observed()
            throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T08:00:00Z"));
        try (TestServer server = TestServer.start(dir, "", """
                [onebot]
                enabled = true
                access_token = "%s"
                bot_names = ["小咪"]
                keywords = ["机器人"]
                group_replies_per_minute = %d
                """.formatted(TOKEN, PER_MINUTE), clock);
             OneBotSimulator bot = new OneBotSimulator(SELF)) {
            Reverse ws = bot.reverse(URI.create("ws://127.0.0.1:" + server.engram.port() + "/onebot/v11/ws"),
                    "Universal", TOKEN);
            assertThat(ws.open()).isTrue();

            List<Long> ids = new ArrayList<>();
            List<ObjectNode> events = new ArrayList<>();
            List<Long> expectedAnswered = new ArrayList<>();
            List<Instant> answeredAt = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Kind k = kind(i);
                if (k == Kind.REPLY_TO_BOT) { // the bot's latest message must be known before it is quoted
                    int answeredSoFar = expectedAnswered.size();
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                            .until(() -> bot.actions().size() == answeredSoFar);
                }
                long id = bot.nextMessageId();
                ids.add(id);
                ObjectNode e = bot.groupMessage(id, GROUP, 100L + speaker(i), NAMES[speaker(i)] + "的昵称",
                        NAMES[speaker(i)], message(i, k, bot.lastSentId(), i > 0 ? ids.get(i - 1) : 0));
                events.add(e);
                // the oracle: addressed, and fewer than PER_MINUTE answers in the 60 s before now
                Instant now = clock.instant();
                if (addressed(k) && answeredAt.stream().filter(t -> t.isAfter(now.minusSeconds(60))).count() < PER_MINUTE) {
                    expectedAnswered.add(id);
                    answeredAt.add(now);
                }
                ws.event(e);
                int stored = i + 1;
                await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                        .until(() -> userMessages(server).size() == stored);
                if (i % 40 == 39) {
                    ws.event(events.get(i - 20)); // a redelivery of an earlier message
                    server.awaitIngestIdle(); // memory keeps up in steps (each wait is bounded), as it would live
                }
                clock.advance(Duration.ofSeconds(i >= 149 && i < 154 ? 1 : 20));
            }
            ws.event(events.get(7)); // redeliveries of answered messages are not answered again
            ws.event(events.get(150));
            await().atMost(Duration.ofSeconds(30)).until(() -> bot.actions().size() >= expectedAnswered.size());
            server.awaitIngestIdle();

            // exactly the selected messages were answered, each once, in order; the burst was cut at the limit
            assertThat(bot.actions()).extracting(Action::quotes)
                    .containsExactlyElementsOf(expectedAnswered.stream().map(String::valueOf).toList());
            assertThat(expectedAnswered).contains(ids.get(150), ids.get(151), ids.get(152))
                    .doesNotContain(ids.get(153), ids.get(154)).hasSizeGreaterThan(20);
            // every message stored once, under its message_id and speaker
            List<ChatMessage> users = userMessages(server);
            assertThat(users).hasSize(200);
            assertThat(users).extracting(ChatMessage::externalId)
                    .containsExactlyElementsOf(ids.stream().map(String::valueOf).toList());
            Set<String> speakers = new TreeSet<>(users.stream().map(ChatMessage::userName).toList());
            assertThat(speakers).containsExactlyInAnyOrder(NAMES);
            assertThat(users.get(12).text()).isEqualTo("我家的猫叫年糕，已经三岁了");
            assertThat(server.engram.storage().messages().recent(CHAT, 1000))
                    .filteredOn(m -> m.role() == ChatMessage.Role.ASSISTANT).hasSize(expectedAnswered.size());

            // a later question recalls what the bot only observed
            clock.advance(Duration.ofMinutes(5));
            ws.event(bot.groupMessage(bot.nextMessageId(), GROUP, 104L, "赵六的昵称", "赵六",
                    segments(at(SELF), text("张三家的猫叫什么名字？"))));
            await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == expectedAnswered.size() + 1);
            assertThat(bot.actions().getLast().text()).contains("年糕");
            server.awaitIngestIdle();
            clock.advance(Duration.ofMinutes(5));
            ws.event(bot.groupMessage(bot.nextMessageId(), GROUP, 103L, "王五的昵称", "王五",
                    "小咪，李四下个月要去哪里出差？"));
            await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == expectedAnswered.size() + 2);
            assertThat(bot.actions().getLast().text()).contains("成都");
        }
    }

    /** Message i: even ones as segment arrays, odd ones as CQ strings. */
    private static Object message(int i, Kind k, long botMessage, long previous) {
        String chatter = TEMPLATES[i % TEMPLATES.length].formatted(TOPICS[i % TOPICS.length]);
        boolean array = i % 2 == 0;
        return switch (k) {
            case FACT -> array ? segments(text(fact(i))) : cqText(fact(i));
            case MENTION -> array ? segments(at(SELF), text(" " + chatter)) : cq("at", "qq", "" + SELF) + " " + cqText(chatter);
            case NAME -> array ? segments(text("小咪，" + chatter)) : cqText("小咪，" + chatter);
            case KEYWORD -> array ? segments(text("问问机器人：" + chatter)) : cqText("问问机器人：" + chatter);
            case REPLY_TO_BOT -> array ? segments(reply("" + botMessage), text("你说得对"))
                    : cq("reply", "id", "" + botMessage) + cqText("你说得对");
            case REPLY_TO_USER -> array ? segments(reply("" + previous), text("同意楼上"))
                    : cq("reply", "id", "" + previous) + cqText("同意楼上");
            case AT_OTHER -> array ? segments(at(100L + (i + 1) % 5), text(" " + chatter))
                    : cq("at", "qq", "" + (100L + (i + 1) % 5)) + " " + cqText(chatter);
            case CHATTER -> i % 10 == 4 ? segments(text(chatter), segment("image", "file", "p" + i + ".jpg"))
                    : array ? segments(text(chatter)) : cqText(chatter) + (i % 6 == 1 ? cq("face", "id", "5") : "");
        };
    }

    private static List<ChatMessage> userMessages(TestServer server) {
        return server.engram.storage().messages().recent(CHAT, 1000).stream()
                .filter(m -> m.role() == ChatMessage.Role.USER).toList();
    }
}
