package dev.engram.llm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.engram.text.TimeExpressions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link LlmClient} guarantees: answers that satisfy each prompt's output contract, failures
 * only through the future. Answers are read with the parsers production runs ({@link LlmOutputs}, and
 * {@link TimeExpressions} for the query's time). One subclass per implementation.
 */
public abstract class LlmClientContract {

    public static final String TRANSCRIPT = """
            当前日期: 2024-05-01T12:00:00
            12:30:05, 小明 :
            我下周去杭州玩，顺便看看西湖。
            12:31:00, 老王 :
            好啊，我也想去杭州，不过周六要加班。""";

    protected final Prompts prompts = Prompts.loadDefault();
    protected LlmClient client;

    /** @return a fresh client under test */
    protected abstract LlmClient newClient();

    @BeforeEach
    void createClient() {
        client = newClient();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    protected LlmResponse call(PromptId id, ModelSlot slot, Map<String, String> vars) {
        CompletableFuture<LlmResponse> f = client.complete(prompts.request(id, slot, vars));
        assertThat(f).succeedsWithin(Duration.ofSeconds(10));
        return f.join();
    }

    @Test
    void need_build_answers_one_or_zero() {
        LlmResponse r = call(PromptId.MEMORY_NEED_BUILD, ModelSlot.UTILS, Map.of("text", "记住我对花生过敏"));
        assertThat(LlmOutputs.needBuild(r.text())).isPresent();
        assertThat(r.model()).isNotBlank();
        assertThat(r.promptTokens()).isPositive();
    }

    @Test
    void memory_build_answers_fact_json() {
        LlmResponse r = call(PromptId.MEMORY_BUILD, ModelSlot.UTILS, Map.of("history", "（无）", "text", TRANSCRIPT));
        assertThat(LlmOutputs.facts(r.text())).hasValueSatisfying(facts -> assertThat(facts).isNotEmpty().allSatisfy(f -> {
            assertThat(f.fact()).isNotBlank();
            assertThat(f.keywords()).allSatisfy(k -> assertThat(k).doesNotContain("/"));
        }));
    }

    @Test
    void memory_query_answers_query_json_with_contract_time() {
        LlmResponse r = call(PromptId.MEMORY_QUERY, ModelSlot.UTILS,
                Map.of("text", "你还记得我昨天说的杭州旅行吗", "now", "2024-05-01 12:00:00"));
        assertThat(LlmOutputs.memoryQuery(r.text())).hasValueSatisfying(q -> {
            assertThat(q.keywords()).isNotEmpty();
            assertThat(q.time()).isNotEmpty();
            assertThat(TimeExpressions.range(q.time(), ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC)))
                    .as(q.time()).isPresent();
        });
    }

    @Test
    void topic_find_answers_bracketed_topics() {
        LlmResponse r = call(PromptId.TOPIC_FIND, ModelSlot.UTILS_SMALL, Map.of("text", TRANSCRIPT, "topic_num", "3"));
        assertThat(LlmOutputs.topics(r.text())).hasSizeBetween(1, 3).doesNotContain("none");
    }

    @Test
    void topic_summary_answers_one_line() {
        LlmResponse r = call(PromptId.TOPIC_SUMMARY, ModelSlot.UTILS, Map.of("text", TRANSCRIPT, "topic", "杭州"));
        assertThat(r.text()).isNotBlank().doesNotContain("\n");
    }

    @Test
    void activator_answers_keyword_json() {
        LlmResponse r = call(PromptId.MEMORY_ACTIVATOR, ModelSlot.UTILS_SMALL,
                Map.of("history", TRANSCRIPT, "message", "杭州好玩吗？"));
        assertThat(LlmOutputs.activatorKeywords(r.text())).isNotEmpty();
    }

    @Test
    void reply_answers_text() {
        LlmResponse r = call(PromptId.REPLY, ModelSlot.REPLY, Map.of("persona", "你是一个友好的助手。",
                "memory_block", "", "history", "", "message", "你好", "user_name", "小明"));
        assertThat(r.text()).isNotBlank();
        assertThat(r.elapsed().isNegative()).isFalse();
    }

    @Test
    void null_request_fails_the_future_instead_of_throwing() {
        CompletableFuture<LlmResponse> f = client.complete(null);
        assertThat(f).failsWithin(Duration.ofSeconds(5))
                .withThrowableThat().havingCause().isInstanceOf(LlmClientErrorException.class);
    }
}
