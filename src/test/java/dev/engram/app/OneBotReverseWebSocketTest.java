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
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.model.ChatMessage;
import dev.engram.surface.onebot.OneBotSimulator;
import dev.engram.surface.onebot.OneBotSimulator.Action;
import dev.engram.surface.onebot.OneBotSimulator.Reverse;

/**
 * The OneBot v11 surface over reverse WebSocket, driven by a spec-written implementation simulator over real
 * sockets against a real Engram (port 0, SQLite, offline provider).
 */
class OneBotReverseWebSocketTest {
    static final String TOKEN = "onebot-test-token";
    static final long SELF = 10001000L;
    static final long GROUP = 123456L;

    @TempDir
    Path dir;
    TestServer server;
    OneBotSimulator bot;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, "", """
                [onebot]
                enabled = true
                access_token = "%s"
                bot_names = ["小咪"]
                group_replies_per_minute = 0
                """.formatted(TOKEN));
        bot = new OneBotSimulator(SELF);
    }

    @AfterEach
    void stop() throws Exception {
        bot.close();
        server.close();
    }

    URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + server.engram.port() + path);
    }

    Reverse universal() throws InterruptedException {
        Reverse r = bot.reverse(ws("/onebot/v11/ws"), "Universal", TOKEN);
        assertThat(r.open()).isTrue();
        return r;
    }

    List<ChatMessage> stored(String chatId) {
        return server.engram.storage().messages().recent(chatId, 500);
    }

    List<Action> awaitActions(OneBotSimulator sim, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.actions().size() >= n);
        return sim.actions();
    }

    @Test
    void a_private_message_as_segments_is_stored_and_answered_with_a_reply_quoting_it() throws Exception {
        Reverse r = universal();
        long id = bot.nextMessageId();
        r.event(bot.privateMessage(id, 555L, "小林", segments(text("我对花生过敏"), segment("face", "id", "178"))));

        Action a = awaitActions(bot, 1).getFirst();
        assertThat(a.action()).isEqualTo("send_private_msg");
        assertThat(a.via()).isEqualTo("reverse:Universal");
        assertThat(a.params().path("user_id").asLong()).isEqualTo(555L);
        assertThat(a.quotes()).isEqualTo(Long.toString(id));
        assertThat(a.text()).startsWith("[Engram 离线模式]").contains("我对花生过敏");

        await().untilAsserted(() -> assertThat(stored("qq:private:555")).hasSize(2));
        ChatMessage user = stored("qq:private:555").getFirst();
        assertThat(user.text()).isEqualTo("我对花生过敏[表情]");
        assertThat(user.userId()).isEqualTo("555");
        assertThat(user.userName()).isEqualTo("小林");
        assertThat(user.externalId()).isEqualTo(Long.toString(id));
        assertThat(stored("qq:private:555").get(1).role()).isEqualTo(ChatMessage.Role.ASSISTANT);
    }

    @Test
    void in_a_group_plain_chatter_is_only_stored_and_an_at_mention_in_a_cq_string_is_answered() throws Exception {
        Reverse r = universal();
        long chatter = bot.nextMessageId();
        r.event(bot.groupMessage(chatter, GROUP, 201L, "阿哲昵称", "阿哲", segments(text("今天食堂的面很好吃"),
                segment("image", "file", "abc.jpg", "url", "http://x/abc.jpg"))));
        long cqMention = bot.nextMessageId();
        r.event(bot.groupMessage(cqMention, GROUP, 202L, "小红", null,
                cq("at", "qq", Long.toString(SELF)) + " " + cqText("你看 [这个] & 那个") + cq("face", "id", "14")
                        + cq("at", "qq", "201")));

        Action a = awaitActions(bot, 1).getFirst();
        assertThat(a.action()).isEqualTo("send_group_msg");
        assertThat(a.params().path("group_id").asLong()).isEqualTo(GROUP);
        assertThat(a.quotes()).isEqualTo(Long.toString(cqMention));

        await().untilAsserted(() -> assertThat(stored("qq:group:" + GROUP)).hasSize(3));
        List<ChatMessage> log = stored("qq:group:" + GROUP);
        assertThat(log.get(0).text()).isEqualTo("今天食堂的面很好吃[图片]");
        assertThat(log.get(0).userName()).isEqualTo("阿哲"); // the group card wins over the nickname
        assertThat(log.get(1).text()).isEqualTo("你看 [这个] & 那个[表情]@阿哲"); // @self stripped, CQ unescaped
        assertThat(log.get(1).userName()).isEqualTo("小红");
        assertThat(log.get(2).role()).isEqualTo(ChatMessage.Role.ASSISTANT);
        // the plain chatter was never answered
        assertThat(bot.actions()).extracting(Action::quotes).containsExactly(Long.toString(cqMention));
    }

    @Test
    void a_reply_to_the_bots_message_and_a_call_by_name_are_answered() throws Exception {
        Reverse r = universal();
        long first = bot.nextMessageId();
        r.event(bot.groupMessage(first, GROUP, 301L, "甲", null, segments(at(SELF), text("早上好"))));
        Action answer = awaitActions(bot, 1).getFirst();
        String botMessageId = "900001"; // the simulator's first message_id for a sent message

        long replied = bot.nextMessageId();
        r.event(bot.groupMessage(replied, GROUP, 302L, "乙", null, segments(reply(botMessageId), text("那你呢"))));
        long quotedSomeoneElse = bot.nextMessageId();
        r.event(bot.groupMessage(quotedSomeoneElse, GROUP, 303L, "丙", null,
                segments(reply(Long.toString(first)), text("同问"))));
        long named = bot.nextMessageId();
        r.event(bot.groupMessage(named, GROUP, 304L, "丁", null, "小咪，晚上吃什么"));
        long plain = bot.nextMessageId();
        r.event(bot.groupMessage(plain, GROUP, 305L, "戊", null, "随便聊聊"));

        await().untilAsserted(() -> assertThat(stored("qq:group:" + GROUP)).hasSize(5 + 3));
        assertThat(answer.quotes()).isEqualTo(Long.toString(first));
        assertThat(bot.actions()).extracting(Action::quotes)
                .containsExactly(Long.toString(first), Long.toString(replied), Long.toString(named));
    }

    @Test
    void a_redelivered_message_is_stored_once_and_answered_once() throws Exception {
        Reverse r = universal();
        long id = bot.nextMessageId();
        JsonNode event = bot.privateMessage(id, 777L, "重复者", segments(text("我下周去杭州")));
        r.event(event);
        r.event(event);
        awaitActions(bot, 1);
        long after = bot.nextMessageId();
        r.event(bot.privateMessage(after, 777L, "重复者", "还在吗"));
        awaitActions(bot, 2);
        r.event(event); // again, after other traffic

        await().untilAsserted(() -> assertThat(server.get("/api/status").json()
                .path("surfaces").path("onebot").path("requests").asLong()).isGreaterThanOrEqualTo(4));
        assertThat(bot.actions()).extracting(Action::quotes).containsExactly(Long.toString(id), Long.toString(after));
        assertThat(stored("qq:private:777")).filteredOn(m -> m.role() == ChatMessage.Role.USER)
                .extracting(ChatMessage::text).containsExactly("我下周去杭州", "还在吗");
    }

    @Test
    void a_missing_or_wrong_token_is_refused_and_the_query_parameter_is_accepted() throws Exception {
        Reverse none = bot.reverse(ws("/onebot/v11/ws"), "Universal", null);
        assertThat(none.open()).isFalse();
        assertThat(none.closeReason()).contains("401");
        Reverse wrong = bot.reverse(ws("/onebot/v11/ws"), "Universal", "not-the-token");
        assertThat(wrong.open()).isFalse();
        assertThat(wrong.closeReason()).contains("403");
        Reverse badRole = bot.reverse(ws("/onebot/v11/ws/api"), "Event", TOKEN);
        assertThat(badRole.open()).isFalse();
        assertThat(badRole.closeReason()).contains("400");
        assertThat(server.get("/api/status").json().path("onebot").path("connections")).isEmpty();

        Reverse query = bot.reverse(ws("/onebot/v11/ws?access_token=" + TOKEN), "Universal", null);
        assertThat(query.open()).isTrue();
        query.event(bot.privateMessage(bot.nextMessageId(), 1L, "甲", "你好"));
        assertThat(awaitActions(bot, 1)).hasSize(1);
    }

    @Test
    void api_and_event_roles_on_two_connections_and_two_bot_accounts_at_once() throws Exception {
        // bot A: API + Event to the shared URL, told apart by X-Client-Role
        Reverse aApi = bot.reverse(ws("/onebot/v11/ws"), "API", TOKEN);
        Reverse aEvent = bot.reverse(ws("/onebot/v11/ws"), "Event", TOKEN);
        // bot B: the split URLs, without the role header
        OneBotSimulator other = new OneBotSimulator(20002000L);
        Reverse bApi = other.reverse(ws("/onebot/v11/ws/api"), null, TOKEN);
        Reverse bEvent = other.reverse(ws("/onebot/v11/ws/event"), null, TOKEN);
        try (other) {
            for (Reverse r : List.of(aApi, aEvent, bApi, bEvent)) assertThat(r.open()).isTrue();

            long a = bot.nextMessageId();
            aEvent.event(bot.privateMessage(a, 11L, "甲", "来自甲的私聊"));
            long b = other.nextMessageId() + 50_000;
            bEvent.event(other.groupMessage(b, GROUP, 12L, "乙", null, segments(at(20002000L), text("乙在群里问"))));

            assertThat(awaitActions(bot, 1)).singleElement().satisfies(x -> {
                assertThat(x.via()).isEqualTo("reverse:API");
                assertThat(x.quotes()).isEqualTo(Long.toString(a));
            });
            assertThat(awaitActions(other, 1)).singleElement().satisfies(x -> {
                assertThat(x.via()).isEqualTo("reverse:Universal"); // the simulator's label for a role-less client
                assertThat(x.action()).isEqualTo("send_group_msg");
                assertThat(x.quotes()).isEqualTo(Long.toString(b));
            });

            JsonNode onebot = server.get("/api/status").json().path("onebot");
            assertThat(onebot.path("self_ids").toString()).isEqualTo("[10001000,20002000]");
            assertThat(onebot.path("connections")).hasSize(4);
            assertThat(onebot.path("connections").findValuesAsText("role")).containsExactlyInAnyOrder(
                    "API", "Event", "API", "Event");
        }
    }

    @Test
    void malformed_frames_and_other_events_are_ignored_without_closing_the_connection() throws Exception {
        Reverse r = universal();
        r.raw("this is not json");
        r.raw("{\"post_type\":\"message\",\"message_type\":\"group\",\"self_id\":10001000}"); // no ids
        r.raw("[1,2,3]");
        r.event(bot.notice());
        r.event(bot.lifecycle("connect"));
        r.event(bot.heartbeat());
        long id = bot.nextMessageId();
        r.event(bot.privateMessage(id, 9L, "甲", "还活着吗"));

        assertThat(awaitActions(bot, 1).getFirst().quotes()).isEqualTo(Long.toString(id));
        assertThat(r.isOpen()).isTrue();
        JsonNode status = server.get("/api/status").json();
        JsonNode link = status.path("onebot").path("connections").path(0);
        assertThat(link.path("self_id").asLong()).isEqualTo(SELF);
        assertThat(link.path("last_heartbeat_at").isTextual()).isTrue();
        assertThat(status.path("surfaces").path("onebot").path("errors").asLong()).isEqualTo(3); // the 3 bad frames
        assertThat(server.get("/metrics").body()).contains("engram_surface_requests_seconds_count{operation=\"frame\","
                + "outcome=\"malformed\",surface=\"onebot\"} 3\n");
    }

    @Test
    void with_only_an_event_connection_a_selected_message_is_stored_unanswered_until_the_api_connects()
            throws Exception {
        Reverse events = bot.reverse(ws("/onebot/v11/ws/event"), "Event", TOKEN);
        assertThat(events.open()).isTrue();
        events.event(bot.privateMessage(bot.nextMessageId(), 3L, "甲", "有人吗"));
        await().atMost(Duration.ofSeconds(20)).until(() -> server.get("/api/status").json()
                .path("surfaces").path("onebot").path("errors").asLong() == 1);
        assertThat(server.get("/metrics").body()).contains("operation=\"message\",outcome=\"no_connection\"");
        assertThat(stored("qq:private:3")).extracting(ChatMessage::text).containsExactly("有人吗");

        Reverse api = bot.reverse(ws("/onebot/v11/ws/api"), "API", TOKEN);
        assertThat(api.open()).isTrue();
        await().until(() -> server.get("/api/status").json().path("onebot").path("connections").size() == 2);
        long id = bot.nextMessageId();
        events.event(bot.privateMessage(id, 3L, "甲", "现在呢"));
        assertThat(awaitActions(bot, 1)).singleElement().satisfies(a -> {
            assertThat(a.via()).isEqualTo("reverse:API");
            assertThat(a.quotes()).isEqualTo(Long.toString(id));
        });
    }

    @Test
    void a_quiet_connection_outlives_the_api_ports_idle_timeout() throws Exception {
        try (TestServer quick = TestServer.start(dir.resolve("quick"), "idle_timeout_ms = 100", """
                [onebot]
                enabled = true
                access_token = "%s"
                """.formatted(TOKEN))) {
            Reverse r = bot.reverse(URI.create("ws://127.0.0.1:" + quick.engram.port() + "/onebot/v11/ws"),
                    "Universal", TOKEN);
            assertThat(r.open()).isTrue();
            // 15 idle timeouts of the HTTP connector pass without a frame; the WebSocket has its own, long one
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(r::isOpen);
            r.event(bot.privateMessage(bot.nextMessageId(), 4L, "甲", "还连着"));
            assertThat(awaitActions(bot, 1)).hasSize(1);
        }
    }
}
