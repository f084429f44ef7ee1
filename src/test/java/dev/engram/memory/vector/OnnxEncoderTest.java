package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * The encoder's single-tokenisation path gives LangChain4j's vectors, for both packaged models (CLS and
 * mean pooling), on dev-set messages and on texts that exercise the tokenizer's edge cases.
 */
class OnnxEncoderTest {
    private static final Executor INLINE = Runnable::run;
    private static final List<String> EDGE_CASES = List.of(
            "好", "unbelievably overcomplicated tokenisation", "喝了杯☕️，😀很开心", "𠮷野家的牛丼", "  前后有空格  ",
            "ＦＵＬＬ－ＷＩＤＴＨ　１２３", "C++ & Java 的 JVM-tuning 参数: -Xmx4g", "line one\nline two\ttabbed",
            "[CLS] 不是真的特殊符号 [SEP]", "ÅÄÖ café naïve résumé");

    @Test
    void bge_cls_vectors_match_langchain4j_on_dev_messages_and_edge_cases() throws Exception {
        List<String> texts = new ArrayList<>(EDGE_CASES);
        List<String> dev = devTexts();
        for (int i = 0; i < dev.size(); i += 9) texts.add(dev.get(i));
        assertMatches(spec(OnnxEmbedder.BGE_SMALL_ZH), texts);
    }

    @Test
    void minilm_mean_vectors_match_langchain4j() throws Exception {
        assertMatches(spec(OnnxEmbedder.ALL_MINILM_L6), EDGE_CASES);
    }

    @Test
    void a_text_longer_than_one_window_is_averaged_over_windows_as_langchain4j_does() throws Exception {
        String longText = "今天我们一起去公园散步，看到了很多盛开的花。".repeat(40); // about 880 tokens: two windows
        try (OnnxEncoder encoder = create(spec(OnnxEmbedder.BGE_SMALL_ZH))) {
            float[] ours = Vectors.normalized(encoder.vector(longText));
            float[] theirs = Vectors.normalized(encoder.embed(longText).content().vector());
            float[] firstWindowOnly = Vectors.normalized(encoder.vector(longText.substring(0, 480)));

            assertThat(ours).containsExactly(theirs, within(1e-5f));
            assertThat(ours).isNotEqualTo(firstWindowOnly);
        }
    }

    @Test
    void a_blank_text_is_refused() throws Exception {
        try (OnnxEncoder encoder = create(spec(OnnxEmbedder.BGE_SMALL_ZH))) {
            assertThatThrownBy(() -> encoder.vector("   ")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void two_intra_op_threads_give_the_same_vector() throws Exception {
        OnnxEncoder.Spec bge = spec(OnnxEmbedder.BGE_SMALL_ZH);
        String text = "说真的，这个项目做完我想换工作了";
        try (OnnxEncoder one = create(bge); OnnxEncoder two = createOn(bge, 2)) {
            assertThat(Vectors.normalized(two.vector(text)))
                    .containsExactly(Vectors.normalized(one.vector(text)), within(1e-4f));
        }
    }

    private static void assertMatches(OnnxEncoder.Spec spec, List<String> texts) throws Exception {
        try (OnnxEncoder encoder = create(spec)) {
            for (String text : texts) {
                float[] ours = Vectors.normalized(encoder.vector(text));
                float[] theirs = Vectors.normalized(encoder.embed(text).content().vector());
                assertThat(ours).as(text).hasSize(spec.dimensions()).containsExactly(theirs, within(1e-5f));
            }
        }
    }

    private static OnnxEncoder.Spec spec(String model) {
        return switch (model) {
            case OnnxEmbedder.BGE_SMALL_ZH -> new OnnxEncoder.Spec("bge-small-zh-v1.5-q.onnx",
                    "bge-small-zh-v1.5-q-tokenizer.json", PoolingMode.CLS, 512);
            default -> new OnnxEncoder.Spec("all-minilm-l6-v2-q.onnx", "all-minilm-l6-v2-q-tokenizer.json",
                    PoolingMode.MEAN, 384);
        };
    }

    private static OnnxEncoder create(OnnxEncoder.Spec spec) throws Exception {
        return createOn(spec, 1);
    }

    /** On a thread with a large stack, as {@link OnnxEmbedder#load} does (ONNX Runtime's first session needs it). */
    private static OnnxEncoder createOn(OnnxEncoder.Spec spec, int threads) throws Exception {
        CompletableFuture<OnnxEncoder> created = new CompletableFuture<>();
        Thread.ofPlatform().stackSize(32L << 20).start(() -> {
            try {
                created.complete(OnnxEncoder.create(spec, threads, INLINE));
            } catch (Throwable t) {
                created.completeExceptionally(t);
            }
        });
        return created.get();
    }

    /** The turns' texts of the shipped dev set ({@code conversation.session_N[].text}). */
    private static List<String> devTexts() throws Exception {
        Set<String> texts = new LinkedHashSet<>();
        try (InputStream in = OnnxEncoderTest.class.getClassLoader().getResourceAsStream("eval/dev-memory-set.json")) {
            for (JsonNode sample : new ObjectMapper().readTree(in)) {
                for (JsonNode session : sample.path("conversation")) {
                    for (JsonNode turn : session) {
                        if (turn.path("text").isTextual()) texts.add(turn.path("text").asText());
                    }
                }
            }
        }
        assertThat(texts).hasSizeGreaterThan(100);
        return List.copyOf(texts);
    }
}
