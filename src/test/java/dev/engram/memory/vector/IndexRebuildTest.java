package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.keys;
import static dev.engram.memory.vector.IndexHarness.word;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.lucene.store.LockObtainFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.ChatMessage;

/** The index is derived data: rebuilt from the database when missing, corrupt or built for another model. */
class IndexRebuildTest {
    private static final VectorSettings SETTINGS = DefaultSettings.vector().toBuilder().similarityThreshold(0).rebuildBatchSize(7).build();

    @TempDir
    Path dir;
    IndexHarness h;
    HashingEmbedder embedder = new HashingEmbedder();
    List<ChatMessage> messages = new ArrayList<>();

    @BeforeEach
    void seed() throws Exception {
        h = new IndexHarness(dir);
        for (int i = 0; i < 20; i++) messages.add(h.say("c" + i % 2, "u", "第" + i + "条 " + word(i), NOW.minusSeconds(i)));
        h.remember(1, "c0", "用户喜欢爬山", List.of("爬山"), NOW);
        h.remember(2, "c1", "用户养了一只猫", List.of("猫"), NOW);
        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertThat(index.openReport().outcome()).isEqualTo(IndexOpenReport.Outcome.REBUILT);
            assertThat(index.openReport().reason()).isEqualTo("missing");
            assertThat(index.openReport().messagesIndexed()).isEqualTo(20);
            assertThat(index.openReport().memoriesIndexed()).isEqualTo(2);
        }
        assertThat(embedder.embedded()).isEqualTo(22);
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void a_healthy_index_is_reused_without_rebuilding() throws Exception {
        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertThat(index.openReport().outcome()).isEqualTo(IndexOpenReport.Outcome.REUSED);
            assertThat(index.openReport().messagesIndexed()).isZero();
            assertThat(index.messageCount()).isEqualTo(20);
        }
        assertThat(embedder.embedded()).isEqualTo(22);
    }

    @Test
    void rebuilds_after_the_index_directory_is_deleted_reusing_stored_embeddings() throws Exception {
        deleteRecursively(h.indexDir());

        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertRebuiltWithoutModelCalls(index, "missing");
        }
        assertThat(h.progressOutput()).contains("Rebuilding index");
    }

    @Test
    void rebuilds_after_the_index_is_corrupted() throws Exception {
        try (Stream<Path> files = Files.list(h.indexDir())) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("write.lock")).toList()) {
                Files.write(f, "garbage, not a lucene file".getBytes(), StandardOpenOption.TRUNCATE_EXISTING);
            }
        }

        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertRebuiltWithoutModelCalls(index, "corrupt");
        }
    }

    @Test
    void a_model_change_rebuilds_with_the_new_model() throws Exception {
        HashingEmbedder other = new HashingEmbedder("hashing-v2", 32);

        try (LuceneMemoryIndex index = h.open(other, SETTINGS)) {
            assertThat(index.openReport().outcome()).isEqualTo(IndexOpenReport.Outcome.REBUILT);
            assertThat(index.openReport().reason()).startsWith("model changed: hashing-v1/64 -> hashing-v2/32");
            assertThat(index.openReport().embeddingsComputed()).isEqualTo(22);
            assertThat(other.embedded()).isEqualTo(22);
            assertThat(keys(index.vectorSource(), "c1", "用户养了一只猫")).first().isEqualTo("i:2");
        }
        assertThat(h.storage.embeddings().count("hashing-v2")).isEqualTo(22);
        assertThat(h.storage.embeddings().count("hashing-v1")).as("kept for switching back").isEqualTo(22);
    }

    @Test
    void reopening_catches_up_what_the_last_commit_missed() throws Exception {
        ChatMessage late = h.say("c0", "u", "提交之后才写入的 lateword", NOW);
        h.remember(3, "c0", "提交之后的记忆 latememory", List.of(), NOW);

        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertThat(index.openReport().outcome()).isEqualTo(IndexOpenReport.Outcome.REUSED);
            assertThat(index.openReport().messagesIndexed()).isEqualTo(1);
            assertThat(index.openReport().memoriesIndexed()).isEqualTo(1);
            assertThat(keys(index.lexicalSource(), "c0", "lateword")).containsExactly("m:" + late.id());
            assertThat(keys(index.lexicalSource(), "c0", "latememory")).containsExactly("i:3");
            assertThat(index.messageCount()).isEqualTo(21);
        }
    }

    @Test
    void a_rebuild_leaves_out_what_retention_removed() throws Exception {
        ChatMessage old = h.say("c0", "u", "两个月前 oldword", NOW.minus(Duration.ofDays(60)));
        deleteRecursively(h.indexDir());

        try (LuceneMemoryIndex index = h.open(embedder, SETTINGS)) {
            assertThat(index.messageCount()).isEqualTo(20);
            assertThat(keys(index.lexicalSource(), "c0", "oldword")).doesNotContain("m:" + old.id());
        }
    }

    @Test
    void an_index_locked_by_another_open_instance_is_not_wiped() throws Exception {
        try (LuceneMemoryIndex first = h.open(embedder, SETTINGS)) {
            assertThatThrownBy(() -> h.open(embedder, SETTINGS)).isInstanceOf(LockObtainFailedException.class);
            assertThat(first.messageCount()).isEqualTo(20);
            assertThat(keys(first.lexicalSource(), "c0", word(0))).hasSize(1);
        }
    }

    private void assertRebuiltWithoutModelCalls(LuceneMemoryIndex index, String reason) throws Exception {
        assertThat(embedder.embedded()).as("texts embedded, all before the rebuild").isEqualTo(22);
        assertThat(index.openReport().outcome()).isEqualTo(IndexOpenReport.Outcome.REBUILT);
        assertThat(index.openReport().reason()).startsWith(reason);
        assertThat(index.openReport().messagesIndexed()).isEqualTo(20);
        assertThat(index.openReport().memoriesIndexed()).isEqualTo(2);
        assertThat(index.openReport().embeddingsReused()).isEqualTo(22);
        assertThat(index.openReport().embeddingsComputed()).isZero();
        assertThat(keys(index.lexicalSource(), "c1", word(1))).containsExactly("m:" + messages.get(1).id());
        assertThat(keys(index.lexicalSource(), "c0", "爬山")).containsExactly("i:1");
        assertThat(keys(index.vectorSource(), "c1", "用户养了一只猫")).first().isEqualTo("i:2");
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
