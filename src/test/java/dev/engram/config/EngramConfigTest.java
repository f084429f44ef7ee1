package dev.engram.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngramConfigTest {
    private static final Path SOURCE = Path.of("/etc/engram/config.toml");

    @Test
    void empty_file_gives_the_documented_defaults() {
        EngramConfig c = EngramConfig.parse("", SOURCE);

        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().apiToken()).isEmpty();
        assertThat(c.server().maxBodyBytes()).isEqualTo(65_536);
        assertThat(c.storage().dataDir()).isEqualTo(Path.of("/etc/engram/data"));
        assertThat(c.llm().provider()).isEqualTo(LlmConfig.Provider.OFFLINE);
        assertThat(c.llm().apiKeyEnv()).isEqualTo("ENGRAM_LLM_API_KEY");
        assertThat(c.recall().timeout()).isEqualTo(Duration.ofSeconds(2));
        MemoryConfig m = c.memory();
        assertThat(m.enableMemory()).isTrue();
        assertThat(m.enableInstantMemory()).isTrue();
        assertThat(m.memoryBuildInterval()).isEqualTo(Duration.ofSeconds(600));
        assertThat(m.memoryBuildDistribution()).containsExactly(6.0, 3.0, 0.6, 32.0, 12.0, 0.4);
        assertThat(m.memoryBuildSampleNum()).isEqualTo(8);
        assertThat(m.memoryBuildSampleLength()).isEqualTo(30);
        assertThat(m.memoryCompressRate()).isEqualTo(0.1);
        assertThat(m.maxMemorizedTimePerMsg()).isEqualTo(2);
        assertThat(m.forgetMemoryInterval()).isEqualTo(Duration.ofSeconds(3000));
        assertThat(m.memoryForgetTime()).isEqualTo(Duration.ofHours(48));
        assertThat(m.memoryForgetPercentage()).isEqualTo(0.008);
        assertThat(m.consolidateMemoryInterval()).isEqualTo(Duration.ofSeconds(1000));
        assertThat(m.consolidationSimilarityThreshold()).isEqualTo(0.7);
        assertThat(m.consolidationCheckPercentage()).isEqualTo(0.05);
        assertThat(m.memoryBanWords()).containsExactly("表情包", "图片", "回复", "聊天记录");
    }

    @Test
    void an_empty_file_means_the_section_records_defaults() {
        assertThat(EngramConfig.parse("", SOURCE)).isEqualTo(EngramConfig.defaults(SOURCE.getParent()));
        assertThat(wire(RecallConfig.DEFAULTS.llmMode())).isEqualTo("prefetch");
        assertThat(wire(ChatConfig.DEFAULTS.memoryMode())).isEqualTo("async");
        assertThat(RecallConfig.DEFAULTS.weights()).isEqualTo(new RecallConfig.Weights(1.0, 0.8, 0.5, 0.0, 1.0));
    }

    @Test
    void the_written_default_file_holds_every_key_once_and_no_other() throws Exception {
        Set<String> inFile = new LinkedHashSet<>();
        leafKeys("", new TomlMapper().readTree(EngramConfig.defaultText()), inFile);

        assertThat(inFile).containsExactlyInAnyOrderElementsOf(knownKeys());
    }

    @Test
    void the_written_default_file_means_exactly_the_defaults() {
        EngramConfig fromFile = EngramConfig.parse(EngramConfig.defaultText(), SOURCE);
        assertThat(fromFile).isEqualTo(EngramConfig.defaults(SOURCE.getParent()));
    }

    @Test
    void the_written_default_file_explains_every_table() {
        String table = "";
        Map<String, Boolean> commented = new java.util.LinkedHashMap<>();
        for (String line : EngramConfig.defaultText().lines().toList()) {
            if (line.startsWith("[")) commented.put(table = line, false);
            else if (line.contains("#") && !table.isEmpty()) commented.put(table, true);
        }
        assertThat(commented).isNotEmpty().doesNotContainValue(false);
    }

    @Test
    void the_readme_configuration_table_names_every_key() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Configuration");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Map<String, String> names = new java.util.LinkedHashMap<>(); // key -> its name (a quoted name may hold dots)
        leafNames("", new TomlMapper().readTree(EngramConfig.defaultText()), names);
        for (String key : knownKeys()) {
            String name = names.getOrDefault(key, key.substring(key.lastIndexOf('.') + 1));
            assertThat(section).as("README configuration table names %s", key).contains("`" + name + "`");
        }
    }

    @Test
    void modes_and_weights_are_read() {
        EngramConfig c = EngramConfig.parse("""
                [chat]
                memory_mode = "blocking"
                [recall]
                llm_mode = "off"
                [recall.weights]
                vector = 0
                graph = 2.5
                """, SOURCE);
        assertThat(c.chat().memoryMode()).isEqualTo(ChatConfig.MemoryMode.BLOCKING);
        assertThat(c.chat().blocking()).isTrue();
        assertThat(c.recall().llmMode()).isEqualTo(RecallConfig.LlmMode.OFF);
        assertThat(c.recall().weights()).isEqualTo(new RecallConfig.Weights(1.0, 0.0, 0.5, 2.5, 1.0));
    }

    private static String wire(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Every key the reader asks for, as full dotted names. */
    private static Set<String> knownKeys() {
        Set<String> keys = new LinkedHashSet<>();
        EngramConfig.read(MissingNode.getInstance(), SOURCE, keys);
        return keys;
    }

    private static void leafNames(String path, JsonNode node, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().isObject()) leafNames(key, e.getValue(), out);
            else out.put(key, e.getKey());
        }
    }

    private static void leafKeys(String path, JsonNode node, Set<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (e.getValue().isObject()) leafKeys(key, e.getValue(), out);
            else assertThat(out.add(key)).as("key %s once", key).isTrue();
        }
    }

    @Test
    void missing_file_is_created_with_comments_and_loaded(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/config.toml");

        EngramConfig c = EngramConfig.loadOrCreate(file);

        assertThat(file).exists();
        assertThat(Files.readString(file)).contains("# Graph memory build period").contains("memory_build_interval = 600");
        assertThat(c.storage().dataDir()).isEqualTo(dir.resolve("sub/data"));
    }

    @Test
    void values_in_the_file_override_defaults() {
        EngramConfig c = EngramConfig.parse("""
                [server]
                port = 0
                api_token = "s3cret-token"
                [llm]
                provider = "openai"
                base_url = "http://127.0.0.1:9999/v1/"
                [llm.models]
                reply = "deepseek-chat"
                [memory]
                memory_build_interval = 30
                memory_ban_words = ["广告"]
                """, SOURCE);
        assertThat(c.server().port()).isZero();
        assertThat(c.server().apiToken()).contains("s3cret-token");
        assertThat(c.llm().provider()).isEqualTo(LlmConfig.Provider.OPENAI);
        assertThat(c.llm().baseUrl().toString()).isEqualTo("http://127.0.0.1:9999/v1");
        assertThat(c.llm().replyModel()).isEqualTo("deepseek-chat");
        assertThat(c.memory().memoryBuildInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.memory().memoryBanWords()).isEqualTo(List.of("广告"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            [server]\\nport = 70000                       | server.port must be an integer in [0, 65535]
            [server]\\nport = "80"                        | server.port must be an integer
            [server]\\nhost = ""                          | server.host must not be blank
            [server]\\napi_token = "short"                | server.api_token must be empty (no auth) or at least 8 characters
            [server]\\nmax_body_bytes = 10                | server.max_body_bytes must be an integer in [1024, 16777216]
            [storage]\\ndata_dir = " "                    | storage.data_dir must not be blank
            [storage]\\nbusy_timeout_ms = 1               | storage.busy_timeout_ms must be an integer in [100, 600000]
            [llm]\\nprovider = "claude"                   | llm.provider must be one of "offline", "openai"
            [llm]\\nbase_url = "ftp://x"                  | llm.base_url must be an http:// or https:// URL
            [llm]\\napi_key_env = "MY KEY"                | llm.api_key_env must be an environment variable name
            [llm]\\nmax_concurrent_calls = 0              | llm.max_concurrent_calls must be an integer in [1, 1024]
            [llm]\\nrequest_timeout_ms = 5                | llm.request_timeout_ms must be an integer in [100, 600000]
            [llm.models]\\nreply = ""                     | llm.models.reply must not be blank
            [chat]\\nhistory_messages = -1                | chat.history_messages must be an integer in [0, 200]
            [chat]\\nmemory_mode = "sync"                 | chat.memory_mode must be one of "async", "blocking" (got "sync")
            [chat]\\nmemory_mode = "ASYNC"                | chat.memory_mode must be one of "async", "blocking"
            [recall]\\nllm_mode = "always"                | recall.llm_mode must be one of "off", "inline", "prefetch" (got "always")
            [recall.weights]\\nlexical = -0.5           | recall.weights.lexical must be a finite number >= 0 (got -0.5)
            [recall.weights]\\nvector = inf             | recall.weights.vector must be a finite number >= 0
            [recall.weights]\\ngraph = nan              | recall.weights.graph must be a finite number >= 0
            [recall.weights]\\ninstant = "high"         | recall.weights.instant must be a number
            [recall.weights]\\nlexical = 0\\nvector = 0\\ninstant = 0\\ngraph = 0\\nllm = 0 | recall.weights must give at least one source a weight > 0
            [recall.weights]\\nbm25 = 1.0               | unknown key recall.weights.bm25
            [recall]\\nweights = 1.0                    | [recall.weights] must be a table
            [recall]\\ntimeout_ms = 0                     | recall.timeout_ms must be an integer in [1, 60000]
            [memory]\\nenable_memory = "yes"              | memory.enable_memory must be true or false
            [memory]\\nmemory_build_interval = 0          | memory.memory_build_interval must be a whole number of seconds
            [memory]\\nmemory_build_interval = 1.5        | memory.memory_build_interval must be an integer
            [memory]\\nmemory_build_distribution = [1.0]  | memory.memory_build_distribution must be 6 numbers
            [memory]\\nmemory_build_distribution = [6.0, 0.0, 0.6, 32.0, 12.0, 0.4] | stds > 0
            [memory]\\nmemory_build_distribution = [6.0, 3.0, 0.0, 32.0, 12.0, 0.0] | weight1 + weight2 > 0
            [memory]\\nmemory_build_sample_num = 0        | memory.memory_build_sample_num must be an integer in [1, 1000]
            [memory]\\nmemory_build_sample_length = 0     | memory.memory_build_sample_length must be an integer in [1, 10000]
            [memory]\\nmemory_compress_rate = 0           | memory.memory_compress_rate must be in (0, 1]
            [memory]\\nmax_memorized_time_per_msg = 0     | memory.max_memorized_time_per_msg must be an integer in [1, 100]
            [memory]\\nforget_memory_interval = -5        | memory.forget_memory_interval must be a whole number of seconds
            [memory]\\nmemory_forget_time = 0             | memory.memory_forget_time must be a whole number of hours
            [memory]\\nmemory_forget_percentage = 1.5     | memory.memory_forget_percentage must be in (0, 1]
            [memory]\\nconsolidate_memory_interval = 0    | memory.consolidate_memory_interval must be a whole number of seconds
            [memory]\\nconsolidation_similarity_threshold = 2 | memory.consolidation_similarity_threshold must be in (0, 1]
            [memory]\\nconsolidation_check_percentage = 0 | memory.consolidation_check_percentage must be in (0, 1]
            [memory]\\nmemory_ban_words = ["ok", ""]      | memory.memory_ban_words must not contain blank words
            [memory]\\nmemory_ban_words = "广告"           | memory.memory_ban_words must be an array of strings
            [memory]\\nmemory_build_interal = 600         | unknown key memory.memory_build_interal
            [cluster]\\nenabled = true                     | cluster.enabled = true needs PostgreSQL: set storage.url
            [cluster]\\ninstance_id = "a b"                | cluster.instance_id must be empty (<host>-<pid>) or 1..64 characters
            [cluster]\\nlease_ms = 500                     | cluster.lease_ms must be an integer in [1000, 600000]
            [cluster]\\nheartbeat_ms = 6000                | cluster.heartbeat_ms must be an integer of at least 100 and below lease_ms / 2
            [cluster]\\npoll_ms = 1                        | cluster.poll_ms must be an integer in [10, 60000]
            [servr]\\nport = 1                            | unknown key servr
            server = 5                                    | [server] must be a table
            [server\\nport = 1                            | is not valid TOML
            """)
    void invalid_values_fail_naming_the_key_and_the_rule(String toml, String expected) {
        assertThatThrownBy(() -> EngramConfig.parse(toml.replace("\\n", "\n"), SOURCE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.strip())
                .hasMessageContaining(SOURCE.toString());
    }
}
