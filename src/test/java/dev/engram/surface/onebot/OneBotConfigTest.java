package dev.engram.surface.onebot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.config.ConfigException;
import dev.engram.config.EngramConfig;
import dev.engram.config.OneBotConfig;

class OneBotConfigTest {
    private static final Path SOURCE = Path.of("/tmp/engram/config.toml");

    private static OneBotConfig parse(String keys) {
        return EngramConfig.parse("[onebot]\n" + keys, SOURCE).onebot();
    }

    @Test
    void off_by_default_and_every_key_is_read() {
        assertThat(EngramConfig.parse("", SOURCE).onebot()).isEqualTo(OneBotConfig.DEFAULTS);
        assertThat(OneBotConfig.DEFAULTS.enabled()).isFalse();
        OneBotConfig c = parse("""
                enabled = true
                access_token = "  abcdefgh  "
                bot_names = ["小咪", " 咪咪 "]
                keywords = ["机器人"]
                group_replies_per_minute = 0
                reply_probability = 0.25
                action_timeout_ms = 3000
                forward_urls = ["ws://127.0.0.1:3001"]
                reconnect_min_ms = 500
                reconnect_max_ms = 500
                http_event_path = "/onebot/v11/http"
                http_secret = "s"
                http_action_url = "http://127.0.0.1:3000/"
                """);
        assertThat(c).isEqualTo(new OneBotConfig(true, "abcdefgh", List.of("小咪", "咪咪"), List.of("机器人"), 0, 0.25,
                Duration.ofSeconds(3), List.of("ws://127.0.0.1:3001"), Duration.ofMillis(500), Duration.ofMillis(500),
                "/onebot/v11/http", "s", "http://127.0.0.1:3000"));
    }

    @Test
    void bad_values_fail_with_one_line_naming_the_key() {
        assertThatThrownBy(() -> parse("enabled = true")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("onebot.access_token must be set");
        assertThatThrownBy(() -> parse("access_token = \"short\"")).hasMessageContaining("onebot.access_token");
        assertThatThrownBy(() -> parse("reply_probability = 1.5")).hasMessageContaining("onebot.reply_probability");
        assertThatThrownBy(() -> parse("forward_urls = [\"http://x\"]")).hasMessageContaining("onebot.forward_urls");
        assertThatThrownBy(() -> parse("reconnect_min_ms = 900\nreconnect_max_ms = 800"))
                .hasMessageContaining("onebot.reconnect_max_ms");
        assertThatThrownBy(() -> parse("http_event_path = \"/api/x\"")).hasMessageContaining("onebot.http_event_path");
        assertThatThrownBy(() -> parse("http_secret = \"s\"")).hasMessageContaining("onebot.http_secret");
        assertThatThrownBy(() -> parse("http_action_url = \"ftp://x\"")).hasMessageContaining("onebot.http_action_url");
        assertThatThrownBy(() -> parse("bot_names = [\" \"]")).hasMessageContaining("onebot.bot_names");
        assertThatThrownBy(() -> parse("nickname = \"x\"")).hasMessageContaining("unknown key onebot.nickname");
        assertThatThrownBy(() -> parse("enabled = true")).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
