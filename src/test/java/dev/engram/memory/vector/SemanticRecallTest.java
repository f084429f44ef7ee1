package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.FAR;
import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.config.EmbeddingConfig;
import dev.engram.memory.Candidate;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;

/** Vector recall with the real bge-small-zh model (loaded once for the class, about a second). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SemanticRecallTest {
    ExecutorService cpu;
    OnnxEmbedder bge;

    @BeforeAll
    void load() {
        cpu = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("test-cpu-", 0).daemon().factory());
        bge = OnnxEmbedder.load(OnnxEmbedder.BGE_SMALL_ZH, cpu, 2);
    }

    @AfterAll
    void stop() {
        bge.close();
        cpu.shutdownNow();
    }

    @Test
    void bge_vectors_are_unit_length_and_separate_paraphrases_from_unrelated_text() {
        float[] apples = bge.embed("我喜欢吃苹果和香蕉");
        List<float[]> others = bge.embedAll(List.of("苹果和香蕉是我最爱的水果", "今天股市大跌，投资者很紧张", "我喜欢吃苹果和香蕉"));

        assertThat(bge.dimensions()).isEqualTo(512);
        assertThat(bge.modelId()).isEqualTo("bge-small-zh-v1.5-q");
        assertThat(Vectors.dot(apples, apples)).isCloseTo(1.0, within(1e-4));
        assertThat(Vectors.dot(apples, others.get(0))).isGreaterThan(0.8);
        assertThat(Vectors.dot(apples, others.get(1))).isLessThan(0.5);
        assertThat(others.get(2)).as("embedAll matches embed").containsExactly(apples, within(1e-5f));
    }

    @Test
    void embed_all_returns_vectors_in_input_order() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 12; i++) texts.add("第" + i + "句话：今天我们聊聊第" + i + "个话题");

        List<float[]> batch = bge.embedAll(texts);

        assertThat(batch).hasSize(12);
        for (int i = 0; i < 12; i++) assertThat(batch.get(i)).containsExactly(bge.embed(texts.get(i)), within(1e-5f));
    }

    @Test
    void a_chinese_paraphrase_is_found_by_vector_and_unrelated_text_stays_below_the_threshold(@TempDir Path dir)
            throws Exception {
        try (IndexHarness h = new IndexHarness(dir); LuceneMemoryIndex index = h.open(bge, DefaultSettings.vector())) {
            ChatMessage fruit = h.say("c1", "小林", "我喜欢吃苹果和香蕉", NOW);
            ChatMessage stocks = h.say("c1", "小林", "今天股市大跌，投资者很紧张", NOW);
            index.indexMessages(List.of(fruit, stocks));

            List<Candidate> hits = index.vectorSource().search("c1", "苹果和香蕉是我最爱的水果", 5, FAR);

            assertThat(hits).extracting(Candidate::key).containsExactly("m:" + fruit.id());
            assertThat(hits.getFirst().score()).isGreaterThan(0.8);
            assertThat(keys(index.lexicalSource(), "c1", "苹果和香蕉是我最爱的水果")).first().isEqualTo("m:" + fruit.id());
        }
    }

    @Test
    void one_chats_memory_never_appears_in_another_chats_recall_by_either_source(@TempDir Path dir) throws Exception {
        try (IndexHarness h = new IndexHarness(dir); LuceneMemoryIndex index = h.open(bge, DefaultSettings.vector())) {
            ChatMessage secret = h.say("alice", "alice", "我对花生严重过敏", NOW);
            ChatMessage hike = h.say("bob", "bob", "周末我们去爬山吧", NOW);
            index.indexMessages(List.of(secret, hike));
            index.indexMemory(new StoredMemory(1, "alice", "alice 对花生过敏", List.of("花生", "过敏"), List.of(secret.id()), NOW));

            for (var source : List.of(index.vectorSource(), index.lexicalSource())) {
                assertThat(keys(source, "alice", "谁对花生过敏")).as(source.name()).contains("m:" + secret.id(), "i:1");
                assertThat(keys(source, "bob", "谁对花生过敏")).as(source.name()).isEmpty();
            }
        }
    }

    /** English facts and paraphrased questions that share almost no word with them. */
    private static final List<String[]> ENGLISH = List.of(
            new String[] {"I'm allergic to peanuts, so no peanut butter for me", "Which nuts make me sick?"},
            new String[] {"My sister Emma moved to Toronto last spring", "Where does my sibling live now?"},
            new String[] {"I work as a nurse at the children's hospital", "What is my job?"},
            new String[] {"We adopted a golden retriever puppy named Biscuit", "What kind of dog do we have?"},
            new String[] {"My favourite band is Coldplay, I saw them live twice", "Which musicians do I like most?"});

    /** How many paraphrased questions find their fact first by vector with this MiniLM threshold. */
    private int englishFoundFirst(OnnxEmbedder minilm, double threshold, Path dir) throws Exception {
        VectorSettings settings = DefaultSettings.vector().toBuilder().model(OnnxEmbedder.ALL_MINILM_L6)
                .similarityThreshold(threshold).build();
        try (IndexHarness h = new IndexHarness(dir); LuceneMemoryIndex index = h.open(minilm, settings)) {
            List<ChatMessage> facts = new ArrayList<>();
            for (String[] pair : ENGLISH) facts.add(h.say("c1", "Ann", pair[0], NOW));
            index.indexMessages(facts);
            int found = 0;
            for (int i = 0; i < ENGLISH.size(); i++) {
                List<Candidate> hits = index.vectorSource().search("c1", ENGLISH.get(i)[1], 5, FAR);
                if (!hits.isEmpty() && hits.getFirst().key().equals("m:" + facts.get(i).id())) found++;
            }
            return found;
        }
    }

    @Test
    void minilm_with_its_calibrated_threshold_finds_english_facts_by_paraphrase_where_0_6_found_almost_none(
            @TempDir Path dir) throws Exception {
        double calibrated = EmbeddingConfig.DEFAULTS.similarityThresholds().get(OnnxEmbedder.ALL_MINILM_L6);
        try (OnnxEmbedder minilm = OnnxEmbedder.load(OnnxEmbedder.ALL_MINILM_L6, cpu, 2)) {
            assertThat(englishFoundFirst(minilm, calibrated, dir.resolve("calibrated"))).isEqualTo(ENGLISH.size());
            assertThat(englishFoundFirst(minilm, 0.6, dir.resolve("old"))).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void the_english_model_is_selected_by_name() {
        try (OnnxEmbedder minilm = OnnxEmbedder.load(OnnxEmbedder.ALL_MINILM_L6, cpu, 2)) {
            assertThat(minilm.dimensions()).isEqualTo(384);
            assertThat(minilm.modelId()).isEqualTo("all-minilm-l6-v2-q");
            float[] cat = minilm.embed("My cat loves sleeping in the sun");
            assertThat(Vectors.dot(cat, minilm.embed("The kitten enjoys napping in sunshine"))).isGreaterThan(0.6);
            assertThat(Vectors.dot(cat, minilm.embed("Quarterly revenue fell by ten percent"))).isLessThan(0.3);
        }
        assertThatThrownBy(() -> OnnxEmbedder.load("gpt-embeddings", cpu, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model must be one of");
    }
}
