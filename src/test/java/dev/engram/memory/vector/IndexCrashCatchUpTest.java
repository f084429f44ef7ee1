package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.keys;
import static dev.engram.memory.vector.IndexHarness.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.lucene.index.IndexWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.ChatLocks;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;
import dev.engram.text.TextSimilarity;

/**
 * The hot-chat scenario of a {@code kill -9}: a lagging chat's store task indexes a message (and a memory) whose id
 * lies far below ids the index already committed; its outbox row is gone once the write returns; the process dies
 * before the next commit. The crash is a copy of the index directory taken while the writer is live (what the disk
 * holds at that instant: the last commit plus loose uncommitted files), opened in place of the original.
 */
class IndexCrashCatchUpTest {
    private static final VectorSettings SETTINGS = DefaultSettings.vector().toBuilder().similarityThreshold(0)
            .commitInterval(Duration.ofHours(1)).build();
    private static final int BUSY = 1_500; // more than the catch-up slack below the committed highest id

    @TempDir
    Path dir;
    IndexHarness h;
    HashingEmbedder embedder = new HashingEmbedder();

    @BeforeEach
    void open() {
        h = new IndexHarness(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void a_lagging_write_lost_by_a_crash_is_caught_up_at_the_next_open() throws Exception {
        Path crash = dir.resolve("crash");
        ChatMessage lagging = h.say("hot", "u", "迟到的消息 " + word(90_001), NOW);
        ChatMessage forgotten = h.say("hot", "u", "被遗忘的消息 " + word(90_002), NOW);
        StoredMemory laggingMemory = memory("hot", "迟到的记忆 " + word(90_003), List.of());
        StoredMemory old = memory("hot", "旧的事实 " + word(90_004), List.of());
        try (LuceneMemoryIndex index = LuceneMemoryIndex.open(h.indexDir(), SETTINGS, embedder, h.storage,
                h.storage.memories()::after, h.clock, System.err)) {
            deleteFromIndexAndCommit(index, lagging, forgotten, laggingMemory); // as if their store tasks lagged
            List<ChatMessage> busy = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) busy.add(h.say("busy", "u", "忙碌 " + word(i), NOW));
            List<StoredMemory> busyMemories = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) busyMemories.add(memory("busy", "记忆 " + word(i), List.of()));
            index.indexMessages(busy);
            index.indexMemories(busyMemories);
            index.commit(); // records the highest ids, far above the lagging ones

            index.indexMessages(List.of(lagging, forgotten)); // the hot chat's store task at last
            index.indexMemory(laggingMemory);
            StoredMemory newer = memory("hot", "新的事实 " + word(90_005), List.of(old.id()));
            index.indexMemory(newer); // supersedes the committed old fact, in the index only until a commit
            assertThat(keys(index.lexicalSource(), "hot", word(90_004))).isEmpty();
            assertThat(keys(index.lexicalSource(), "hot", word(90_001))).containsExactly("m:" + lagging.id());
            h.storage.messages().delete(List.of(forgotten.id())); // forgotten from the log (and never to come back)
            crashImage(h.indexDir(), crash);
        }
        int modelCalls = embedder.embedded();

        try (LuceneMemoryIndex index = LuceneMemoryIndex.openDeferred(crash, SETTINGS, embedder, h.storage,
                h.storage.memories()::after, h.clock, System.err)) {
            assertThat(keys(index.lexicalSource(), "hot", word(90_001))).as("lost with the uncommitted write").isEmpty();
            IndexCatchUp catchUp = index.startCatchUp(new ChatLocks(4));
            assertThat(catchUp.await(Duration.ofMinutes(1))).isTrue();
            assertThat(catchUp.state()).isEqualTo(IndexCatchUp.State.DONE);

            assertThat(keys(index.lexicalSource(), "hot", word(90_001))).containsExactly("m:" + lagging.id());
            assertThat(keys(index.lexicalSource(), "hot", word(90_003))).containsExactly("i:" + laggingMemory.id());
            assertThat(keys(index.lexicalSource(), "hot", word(90_005))).hasSize(1);
            assertThat(keys(index.lexicalSource(), "hot", word(90_004))).as("superseded stays out").isEmpty();
            assertThat(keys(index.lexicalSource(), "hot", word(90_002))).as("deleted rows stay deleted").isEmpty();
            assertThat(index.messageCount()).isEqualTo(BUSY + 1);
            assertThat(index.memoryCount()).isEqualTo(BUSY + 2);
            assertThat(catchUp.messagesIndexed()).as("only what was missing").isEqualTo(1);
            assertThat(catchUp.memoriesIndexed()).isEqualTo(2);
            assertThat(embedder.embedded()).as("vectors persisted when first computed are reused").isEqualTo(modelCalls);
            assertThat(catchUp.reused()).isEqualTo(3);
            assertThat(catchUp.computed()).isZero();
        }
    }

    @Test
    void a_catch_up_cut_short_by_a_close_resumes_at_the_next_open() throws Exception {
        ChatMessage lagging = h.say("hot", "u", "迟到的消息 " + word(90_001), NOW);
        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            deleteFromIndexAndCommit(index, lagging, null, null);
            List<ChatMessage> busy = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) busy.add(h.say("busy", "u", "忙碌 " + word(i), NOW));
            index.indexMessages(busy);
            index.commit();
            index.indexMessages(List.of(lagging));
            crashImage(h.indexDir(), dir.resolve("crash"));
        }
        Path crash = dir.resolve("crash");
        try (LuceneMemoryIndex index = LuceneMemoryIndex.openDeferred(crash, SETTINGS, embedder, h.storage,
                StoredMemoryReader.none(), h.clock, System.err)) {
            index.stopCatchUp(Duration.ofSeconds(1)); // closed before loading: the commit on close must keep the mark
        }
        try (LuceneMemoryIndex index = LuceneMemoryIndex.open(crash, SETTINGS, embedder, h.storage,
                StoredMemoryReader.none(), h.clock, System.err)) {
            assertThat(keys(index.lexicalSource(), "hot", word(90_001))).containsExactly("m:" + lagging.id());
        }
    }

    private StoredMemory memory(String chat, String text, List<Long> supersedes) {
        return h.storage.memories().insert(new MemoryRepository.NewMemory(chat, text, List.of(), List.of(), NOW,
                TextSimilarity.contentHash(text), null, Set.of()), supersedes);
    }

    /** Takes the items out of the index (they were never indexed before the busy chat's writes) and commits. */
    private static void deleteFromIndexAndCommit(LuceneMemoryIndex index, ChatMessage a, ChatMessage b, StoredMemory m)
            throws IOException {
        List<Long> messages = new ArrayList<>(List.of(a.id()));
        if (b != null) messages.add(b.id());
        index.delete(dev.engram.store.EmbeddingRepository.Kind.MESSAGE, messages);
        if (m != null) index.delete(dev.engram.store.EmbeddingRepository.Kind.MEMORY, List.of(m.id()));
        index.commit();
    }

    /** What a {@code kill -9} leaves on disk: every file as it is now, without the (process-bound) write lock. */
    private static void crashImage(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().equals(IndexWriter.WRITE_LOCK_NAME)) continue;
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
