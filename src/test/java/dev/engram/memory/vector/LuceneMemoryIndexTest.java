package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.FAR;
import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.keys;
import static dev.engram.memory.vector.IndexHarness.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.Candidate;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.store.EmbeddingRepository;

/** The index with a fast hashing embedder: lexical recall, isolation, idempotence, visibility, retention. */
class LuceneMemoryIndexTest {
    /** Hashing vectors are only roughly similar, so vector searches here keep every nearest hit. */
    private static final VectorSettings SETTINGS = DefaultSettings.vector().toBuilder().similarityThreshold(0).build();

    @TempDir
    Path dir;
    IndexHarness h;
    HashingEmbedder embedder = new HashingEmbedder();
    LuceneMemoryIndex index;

    @BeforeEach
    void open() throws Exception {
        h = new IndexHarness(dir);
        index = h.open(embedder, SETTINGS);
    }

    @AfterEach
    void close() throws Exception {
        index.close();
        h.close();
    }

    @Test
    void lexical_recall_finds_chinese_words_and_stemmed_english() throws Exception {
        ChatMessage peanut = h.say("c1", "小林", "我对花生过敏，千万别给我花生酱", NOW);
        ChatMessage meeting = h.say("c1", "小林", "明天要去上海参加人工智能大会", NOW);
        ChatMessage dogs = h.say("c1", "Ann", "I went running with my dogs yesterday", NOW);
        index.indexMessages(List.of(peanut, meeting, dogs));

        List<Candidate> hits = index.lexicalSource().search("c1", "花生", 5, FAR);
        assertThat(hits).extracting(Candidate::key).containsExactly("m:" + peanut.id());
        assertThat(hits.getFirst().text()).isEqualTo("小林: 我对花生过敏，千万别给我花生酱");
        assertThat(hits.getFirst().messageIds()).containsExactly(peanut.id());
        assertThat(hits.getFirst().createdAt()).isEqualTo(NOW);
        assertThat(keys(index.lexicalSource(), "c1", "人工智能大会在哪里")).containsExactly("m:" + meeting.id());
        assertThat(keys(index.lexicalSource(), "c1", "Who runs with a dog?")).containsExactly("m:" + dogs.id());
        assertThat(keys(index.lexicalSource(), "c1", "the of and")).isEmpty();
    }

    @Test
    void memories_are_found_by_text_and_keywords_with_their_provenance() throws Exception {
        StoredMemory m = new StoredMemory(7, "c1", "小林下周三去上海", List.of("出差"), List.of(3L, 4L), NOW);
        index.indexMemory(m);

        List<Candidate> hits = index.lexicalSource().search("c1", "出差", 5, FAR);
        assertThat(hits).singleElement().satisfies(c -> {
            assertThat(c.key()).isEqualTo("i:7");
            assertThat(c.text()).isEqualTo("小林下周三去上海");
            assertThat(c.messageIds()).containsExactly(3L, 4L);
        });
        assertThat(keys(index.vectorSource(), "c1", "小林下周三去上海")).containsExactly("i:7");
    }

    @Test
    void a_superseding_memory_removes_the_facts_it_supersedes_from_the_index() throws Exception {
        index.indexMemory(new StoredMemory(1, "c1", "我最喜欢的数字是 1", List.of("数字"), List.of(), NOW));
        StoredMemory two = new StoredMemory(2, "c1", "我最喜欢的数字是 2", List.of("数字"), List.of(),
                NOW.plusSeconds(1), null, null, List.of(1L));

        index.indexMemory(two);

        for (var source : List.of(index.lexicalSource(), index.vectorSource())) {
            assertThat(keys(source, "c1", "最喜欢的数字")).as(source.name()).contains("i:2").doesNotContain("i:1");
        }
        index.indexMemory(new StoredMemory(1, "c1", "我最喜欢的数字是 1", List.of("数字"), List.of(), NOW,
                NOW.plusSeconds(1), 2L, List.of()));
        assertThat(keys(index.lexicalSource(), "c1", "最喜欢的数字")).doesNotContain("i:1");
    }

    @Test
    void a_written_message_is_recallable_as_soon_as_index_returns() throws Exception {
        for (int i = 0; i < 20; i++) {
            ChatMessage m = h.say("c1", "u", "第" + i + "条消息 " + word(i), NOW);
            index.indexMessages(List.of(m));
            assertThat(keys(index.lexicalSource(), "c1", word(i))).containsExactly("m:" + m.id());
            assertThat(keys(index.vectorSource(), "c1", m.text())).first().isEqualTo("m:" + m.id());
        }
    }

    @Test
    void memory_of_one_chat_never_appears_in_another_chats_recall() throws Exception {
        ChatMessage a = h.say("alice", "a", "我的银行卡密码是生日", NOW);
        ChatMessage b = h.say("bob", "b", "周末去爬山", NOW);
        index.indexMessages(List.of(a, b));
        index.indexMemory(new StoredMemory(1, "alice", "alice 的银行卡密码是生日", List.of("密码"), List.of(a.id()), NOW));

        for (var source : List.of(index.lexicalSource(), index.vectorSource())) {
            assertThat(keys(source, "bob", "银行卡密码是生日")).as(source.name()).doesNotContain("m:" + a.id(), "i:1");
            assertThat(keys(source, "alice", "银行卡密码是生日")).as(source.name()).contains("m:" + a.id(), "i:1");
            assertThat(keys(source, "carol", "银行卡密码是生日")).as(source.name()).isEmpty();
        }
    }

    @Test
    void reindexing_the_same_items_is_idempotent_and_reuses_stored_embeddings() throws Exception {
        ChatMessage m = h.say("c1", "u", "我喜欢猫", NOW);
        StoredMemory memory = new StoredMemory(5, "c1", "用户喜欢猫", List.of("猫"), List.of(m.id()), NOW);
        index.indexMessages(List.of(m));
        index.indexMemory(memory);
        int embedded = embedder.embedded();

        index.indexMessages(List.of(m, m));
        index.indexMemory(memory);

        assertThat(index.messageCount()).isEqualTo(1);
        assertThat(index.memoryCount()).isEqualTo(1);
        assertThat(keys(index.lexicalSource(), "c1", "猫")).containsExactlyInAnyOrder("m:" + m.id(), "i:5");
        assertThat(embedder.embedded()).as("vectors come from the embeddings table").isEqualTo(embedded);
    }

    @Test
    void a_message_recalled_for_before_it_is_written_reuses_the_query_embedding() throws Exception {
        index.vectorSource().prepare("我下周二去北京出差");
        assertThat(keys(index.vectorSource(), "c1", "我下周二去北京出差")).isEmpty();
        int embedded = embedder.embedded();
        assertThat(embedded).as("prefetch and search share one model call").isEqualTo(1);

        ChatMessage m = h.say("c1", "u", "我下周二去北京出差", NOW);
        ChatMessage other = h.say("c1", "u", "周末去爬山", NOW);
        index.indexMessages(List.of(m, other));

        assertThat(embedder.embedded()).as("only the text nobody asked about is embedded").isEqualTo(embedded + 1);
        assertThat(keys(index.vectorSource(), "c1", "我下周二去北京出差")).first().isEqualTo("m:" + m.id());
        assertThat(h.storage.embeddings().find(EmbeddingRepository.Kind.MESSAGE, List.of(m.id()),
                embedder.modelId())).containsKey(m.id());
    }

    @Test
    void concurrent_writers_each_see_their_message_when_index_returns() throws Exception {
        int threads = 8;
        int perThread = 25;
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) messages.add(h.say("c" + i % 3, "u", "消息 " + word(i), NOW));
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<ChatMessage> mine = messages.subList(t * perThread, (t + 1) * perThread);
                done.add(pool.submit(() -> {
                    start.await();
                    for (ChatMessage m : mine) {
                        index.indexMessages(List.of(m));
                        assertThat(keys(index.lexicalSource(), m.chatId(), m.text().split(" ")[1]))
                                .as("visible as soon as indexMessages returned").containsExactly("m:" + m.id());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get();
        }
        assertThat(index.messageCount()).isEqualTo(threads * perThread);
        assertThat(embedder.embedded()).isEqualTo(threads * perThread);
        for (ChatMessage m : messages) {
            assertThat(keys(index.lexicalSource(), m.chatId(), m.text().split(" ")[1])).containsExactly("m:" + m.id());
        }
    }

    @Test
    void retention_removes_old_messages_from_the_index_and_keeps_memories_longer() throws Exception {
        ChatMessage old = h.say("c1", "u", "很久以前说的旅行计划", NOW.minus(Duration.ofDays(40)));
        ChatMessage recent = h.say("c1", "u", "昨天说的旅行计划", NOW.minus(Duration.ofDays(1)));
        index.indexMessages(List.of(old, recent));
        index.indexMemories(List.of(
                new StoredMemory(1, "c1", "旅行计划 一年多以前", List.of(), List.of(), NOW.minus(Duration.ofDays(400))),
                new StoredMemory(2, "c1", "旅行计划 一百天前", List.of(), List.of(), NOW.minus(Duration.ofDays(100)))));

        RetentionResult result = index.enforceRetention(NOW);

        assertThat(result.messagesRemoved()).isEqualTo(1);
        assertThat(result.memoriesRemoved()).isEqualTo(1);
        assertThat(result.embeddingsRemoved()).isEqualTo(2);
        assertThat(result.messageCutoff()).isEqualTo(NOW.minus(Duration.ofDays(30)));
        assertThat(keys(index.lexicalSource(), "c1", "旅行计划")).containsExactlyInAnyOrder("m:" + recent.id(), "i:2");
        assertThat(h.storage.messages().find(old.id())).as("the message log keeps it").isPresent();
        assertThat(index.enforceRetention(NOW).messagesRemoved()).isZero();
    }

    @Test
    void a_search_after_its_deadline_returns_nothing() throws Exception {
        index.indexMessages(List.of(h.say("c1", "u", "花生过敏", NOW)));
        assertThat(index.lexicalSource().search("c1", "花生", 5, NOW.minusSeconds(1))).isEmpty();
        assertThat(index.vectorSource().search("c1", "花生", 5, NOW.minusSeconds(1))).isEmpty();
    }

    @Test
    void k_is_capped_by_top_k_and_sources_are_named() throws Exception {
        List<ChatMessage> many = new ArrayList<>();
        for (int i = 0; i < 30; i++) many.add(h.say("c1", "u", "咖啡 " + i, NOW));
        index.indexMessages(many);
        assertThat(index.lexicalSource().search("c1", "咖啡", 100, FAR)).hasSize(SETTINGS.topK());
        assertThat(index.vectorSource().search("c1", "咖啡", 5, FAR)).hasSize(5);
        assertThat(index.lexicalSource().name()).isEqualTo("lexical");
        assertThat(index.vectorSource().name()).isEqualTo("vector");
    }
}
