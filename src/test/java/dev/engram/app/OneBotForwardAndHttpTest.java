package dev.engram.app;

import static dev.engram.surface.onebot.OneBotSimulator.at;
import static dev.engram.surface.onebot.OneBotSimulator.segments;
import static dev.engram.surface.onebot.OneBotSimulator.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.model.ChatMessage;
import dev.engram.surface.onebot.OneBotSimulator;
import dev.engram.surface.onebot.OneBotSimulator.Action;
import dev.engram.surface.onebot.OneBotSimulator.Forward;

/** The OneBot surface's forward WebSocket and HTTP modes against the implementation simulator, over real sockets. */
class OneBotForwardAndHttpTest {
    static final String TOKEN = "onebot-test-token";

    @TempDir
    Path dir;

    @Test
    void engram_dials_the_forward_server_with_the_token_and_redials_after_a_dropped_connection() throws Exception {
        try (OneBotSimulator bot = new OneBotSimulator(30003000L);
             OneBotSimulator stranger = new OneBotSimulator(40004000L)) {
            Forward good = bot.forward(TOKEN);
            Forward wrongToken = stranger.forward("some-other-token");
            try (TestServer server = TestServer.start(dir, "", """
                    [onebot]
                    enabled = true
                    access_token = "%s"
                    forward_urls = ["%s", "%s"]
                    reconnect_min_ms = 20
                    reconnect_max_ms = 200
                    """.formatted(TOKEN, good.url(), wrongToken.url()))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> good.opened() == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> selfIds(server).contains("30003000"));

                long first = bot.nextMessageId();
                good.event(bot.privateMessage(first, 61L, "甲", segments(text("我养了一只叫豆豆的柯基"))));
                await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == 1);
                assertThat(bot.actions().getFirst().via()).isEqualTo("forward");
                assertThat(bot.actions().getFirst().quotes()).isEqualTo(Long.toString(first));

                good.drop();
                await().atMost(Duration.ofSeconds(10)).until(() -> good.opened() == 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> forwardConnected(server, good.url()));
                long second = bot.nextMessageId();
                good.event(bot.groupMessage(second, 888L, 62L, "乙", null, segments(at(30003000L), text("还在吗"))));
                await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == 2);
                assertThat(bot.actions().get(1).action()).isEqualTo("send_group_msg");
                assertThat(bot.actions().get(1).quotes()).isEqualTo(Long.toString(second));

                // the server that wants another token keeps refusing; Engram keeps redialing with backoff
                await().atMost(Duration.ofSeconds(10)).until(() -> wrongToken.refused() >= 3);
                assertThat(wrongToken.opened()).isZero();
                JsonNode forward = server.get("/api/status").json().path("onebot").path("forward");
                assertThat(forward.path(0).path("connects").asLong()).isEqualTo(2);
                assertThat(forward.path(1).path("connected").asBoolean()).isFalse();
                assertThat(forward.path(1).path("failed_dials").asLong()).isGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void http_post_events_are_checked_against_the_signature_and_replies_go_to_the_http_api() throws Exception {
        String secret = "post-secret";
        try (OneBotSimulator bot = new OneBotSimulator(50005000L);
             HttpClient client = HttpClient.newHttpClient()) {
            URI api = bot.httpApi(TOKEN);
            try (TestServer server = TestServer.start(dir, "", """
                    [onebot]
                    enabled = true
                    access_token = "%s"
                    http_event_path = "/onebot/v11/http"
                    http_secret = "%s"
                    http_action_url = "%s/"
                    """.formatted(TOKEN, secret, api))) {
                URI receiver = server.uri("/onebot/v11/http");
                JsonNode unsigned = bot.privateMessage(bot.nextMessageId(), 71L, "甲", "没签名");
                assertThat(bot.post(client, receiver, unsigned, null)).isEqualTo(401);
                assertThat(bot.post(client, receiver, unsigned, "wrong-secret")).isEqualTo(403);

                long id = bot.nextMessageId();
                assertThat(bot.post(client, receiver, bot.privateMessage(id, 71L, "甲", "签了名的私聊"), secret))
                        .isEqualTo(204);
                assertThat(bot.post(client, receiver, bot.heartbeat(), secret)).isEqualTo(204);

                await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == 1);
                Action a = bot.actions().getFirst();
                assertThat(a.via()).isEqualTo("http"); // the simulator's API checked the bearer token
                assertThat(a.action()).isEqualTo("send_private_msg");
                assertThat(a.quotes()).isEqualTo(Long.toString(id));
                assertThat(server.engram.storage().messages().recent("qq:private:71", 10))
                        .filteredOn(m -> m.role() == ChatMessage.Role.USER).extracting(ChatMessage::text)
                        .containsExactly("签了名的私聊"); // the refused posts were not stored
                JsonNode onebot = server.get("/api/status").json().path("onebot");
                assertThat(onebot.path("connections").path(0).path("transport").asText()).isEqualTo("http");
                assertThat(onebot.path("connections").path(0).path("last_heartbeat_at").isTextual()).isTrue();
            }
        }
    }

    @Test
    void a_message_redelivered_after_a_restart_is_neither_stored_again_nor_answered_again() throws Exception {
        String onebot = "[onebot]\nenabled = true\naccess_token = \"" + TOKEN + "\"\n";
        try (OneBotSimulator bot = new OneBotSimulator(60006000L)) {
            long id = bot.nextMessageId();
            JsonNode event = bot.privateMessage(id, 81L, "甲", "我明天去北京");
            try (TestServer server = TestServer.start(dir, "", onebot)) {
                var ws = bot.reverse(URI.create("ws://127.0.0.1:" + server.engram.port() + "/onebot/v11/ws"),
                        "Universal", TOKEN);
                assertThat(ws.open()).isTrue();
                ws.event(event);
                await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == 1);
            }
            try (TestServer server = TestServer.start(dir, "", onebot)) { // same data directory
                var ws = bot.reverse(URI.create("ws://127.0.0.1:" + server.engram.port() + "/onebot/v11/ws"),
                        "Universal", TOKEN);
                assertThat(ws.open()).isTrue();
                ws.event(event);
                long next = bot.nextMessageId();
                ws.event(bot.privateMessage(next, 81L, "甲", "到了"));
                await().atMost(Duration.ofSeconds(20)).until(() -> bot.actions().size() == 2);
                assertThat(bot.actions()).extracting(Action::quotes).containsExactly(Long.toString(id),
                        Long.toString(next));
                assertThat(server.engram.storage().messages().recent("qq:private:81", 10))
                        .filteredOn(m -> m.role() == ChatMessage.Role.USER).extracting(ChatMessage::text)
                        .containsExactly("我明天去北京", "到了");
            }
        }
    }

    private static String selfIds(TestServer server) throws Exception {
        return server.get("/api/status").json().path("onebot").path("self_ids").toString();
    }

    private static boolean forwardConnected(TestServer server, URI url) throws Exception {
        for (JsonNode f : server.get("/api/status").json().path("onebot").path("forward")) {
            if (f.path("url").asText().equals(url.toString())) return f.path("connected").asBoolean();
        }
        return false;
    }
}
