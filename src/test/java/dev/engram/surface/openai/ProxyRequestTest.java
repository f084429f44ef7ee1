package dev.engram.surface.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** How the proxy reads a chat-completion request: naming, speaker, idempotency key, memory placement. */
class ProxyRequestTest {
    private static ProxyRequest parse(String json, String chatHeader, String idHeader) {
        return ProxyRequest.parse(json.getBytes(StandardCharsets.UTF_8), chatHeader, idHeader, "openai", Optional.empty());
    }

    private static final String BODY = """
            {"model": "m", "user": "u-1", "temperature": 0.3, "tools": [{"type": "function"}],
             "messages": [{"role": "system", "content": "persona"}, {"role": "developer", "content": "rules"},
                          {"role": "user", "content": "早上好", "name": "小林"},
                          {"role": "assistant", "content": "早"},
                          {"role": "user", "content": [{"type": "text", "text": "看这张图"},
                                                       {"type": "image_url", "image_url": {"url": "x"}},
                                                       {"type": "text", "text": "是什么？"}]}]}
            """;

    @Test
    void the_header_names_the_chat_before_user_and_user_before_the_default() {
        assertThat(parse(BODY, "qq:group:1", null).chatId()).isEqualTo("qq:group:1");
        assertThat(parse(BODY, null, null).chatId()).isEqualTo("u-1");
        assertThat(parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null, null).chatId())
                .isEqualTo("openai");
    }

    @Test
    void the_last_user_message_is_the_turn_with_its_text_parts_and_the_speaker_is_user_and_name() {
        ProxyRequest r = parse(BODY, null, null);
        assertThat(r.userText()).isEqualTo("看这张图\n是什么？");
        assertThat(r.userId()).isEqualTo("u-1");
        assertThat(r.userName()).isNull(); // the last user message has no name
        ProxyRequest named = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"小林\"}]}",
                null, null);
        assertThat(named.userName()).isEqualTo("小林");
        assertThat(named.userId()).isNull();
    }

    @Test
    void the_external_id_is_the_header_or_a_hash_of_chat_and_messages() {
        assertThat(parse(BODY, null, "msg-7").externalId()).isEqualTo("msg-7");
        String hashed = parse(BODY, null, null).externalId();
        assertThat(hashed).startsWith("openai:").hasSize("openai:".length() + 32);
        assertThat(parse(BODY, null, null).externalId()).isEqualTo(hashed); // a retry: the same key
        assertThat(parse(BODY, "other-chat", null).externalId()).isNotEqualTo(hashed);
        assertThat(parse(BODY.replace("早上好", "晚上好"), null, null).externalId()).isNotEqualTo(hashed);
    }

    @Test
    void memories_go_after_the_leading_instructions_and_everything_else_is_forwarded_unchanged() {
        JsonNode f = parse(BODY, null, null).forwarded("以下是记忆：\n- 花生过敏");
        assertThat(f.path("messages")).hasSize(6);
        assertThat(f.path("messages").path(0).path("content").asText()).isEqualTo("persona");
        assertThat(f.path("messages").path(1).path("role").asText()).isEqualTo("developer");
        assertThat(f.path("messages").path(2).path("role").asText()).isEqualTo("system");
        assertThat(f.path("messages").path(2).path("content").asText()).contains("花生过敏");
        assertThat(f.path("messages").path(3).path("name").asText()).isEqualTo("小林");
        assertThat(f.path("temperature").asDouble()).isEqualTo(0.3);
        assertThat(f.path("tools").path(0).path("type").asText()).isEqualTo("function");
        assertThat(f.path("user").asText()).isEqualTo("u-1");

        assertThat(parse(BODY, null, null).forwarded("").path("messages")).hasSize(5); // no memories, no message
        JsonNode noSystem = parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", null, null)
                .forwarded("记忆");
        assertThat(noSystem.path("messages").path(0).path("role").asText()).isEqualTo("system");
    }

    @Test
    void a_configured_model_replaces_the_clients() {
        ProxyRequest r = ProxyRequest.parse(BODY.getBytes(StandardCharsets.UTF_8), null, null, "openai", Optional.of("pinned"));
        assertThat(r.model()).isEqualTo("pinned");
        assertThat(r.forwarded("").path("model").asText()).isEqualTo("pinned");
    }

    @Test
    void malformed_requests_are_refused_with_400() {
        for (String bad : new String[] {"", "{", "3", "{\"model\":\"m\"}", "{\"model\":\"m\",\"messages\":{}}",
                "{\"model\":\"m\",\"messages\":[\"hi\"]}", "{\"model\":1,\"messages\":[{\"role\":\"user\"}]}",
                "{\"model\":\"m\",\"user\":5,\"messages\":[{\"role\":\"user\"}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":7}]}"}) {
            assertThatThrownBy(() -> parse(bad, null, null)).as(bad).isInstanceOfSatisfying(ProxyException.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> parse(BODY, "x".repeat(129), null)).isInstanceOf(ProxyException.class);
        assertThatThrownBy(() -> parse(BODY, "a\u0001b", null)).isInstanceOf(ProxyException.class);
    }
}
