package dev.engram.llm;

import dev.engram.common.Failures;
import dev.engram.common.NonRetriableException;
import dev.engram.common.RetriableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class LlmExceptionMapperTest {

    @ParameterizedTest
    @CsvSource({
            "408, LlmTimeoutException, true",
            "429, LlmRateLimitedException, true",
            "500, LlmServerException, true",
            "502, LlmServerException, true",
            "503, LlmServerException, true",
            "400, LlmClientErrorException, false",
            "401, LlmClientErrorException, false",
            "403, LlmClientErrorException, false",
            "404, LlmClientErrorException, false",
            "422, LlmClientErrorException, false",
            "302, LlmClientErrorException, false"})
    void maps_http_status_to_classified_exception(int status, String type, boolean retriable) {
        RuntimeException e = LlmExceptionMapper.fromStatus("llm.memory_build", "m", status, "", null);

        assertThat(e.getClass().getSimpleName()).isEqualTo(type);
        assertThat(e).isInstanceOf(retriable ? RetriableException.class : NonRetriableException.class);
        assertThat(Failures.isRetriable(e)).isEqualTo(retriable);
        assertThat(((LlmException) e).operation()).isEqualTo("llm.memory_build");
        assertThat(e.getMessage()).startsWith("llm.memory_build [m]: ");
    }

    @Test
    void rate_limit_keeps_retry_after_and_error_message() {
        RuntimeException e = LlmExceptionMapper.fromStatus("llm.reply", "m", 429,
                "{\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_error\"}}", "7");

        assertThat(e).isInstanceOf(LlmRateLimitedException.class).hasMessageContaining("slow down");
        assertThat(((LlmRateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(LlmExceptionMapper.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
    }

    @Test
    void maps_throwables_and_passes_llm_exceptions_through() {
        LlmServerException server = new LlmServerException("op", "m", 500, "x");
        assertThat(LlmExceptionMapper.fromThrowable("op", "m", new CompletionException(server))).isSameAs(server);
        assertThat(LlmExceptionMapper.fromThrowable("op", "m", new HttpConnectTimeoutException("slow")))
                .isInstanceOf(LlmTimeoutException.class);
        assertThat(LlmExceptionMapper.fromThrowable("op", "m", new IOException("reset")))
                .isInstanceOf(LlmTransportException.class);
        assertThat(LlmExceptionMapper.fromThrowable("op", "m", new IllegalArgumentException("bad header")))
                .isInstanceOf(LlmClientErrorException.class)
                .satisfies(e -> assertThat(((LlmClientErrorException) e).status()).isZero());
    }

    @Test
    void long_error_bodies_are_cut_short() {
        String detail = LlmExceptionMapper.errorDetail("x".repeat(5_000));
        assertThat(detail.length()).isLessThan(400);
    }
}
