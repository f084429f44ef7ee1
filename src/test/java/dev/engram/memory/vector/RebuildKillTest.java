package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.memory.ChatLocks;

/**
 * A rebuild killed with SIGKILL half-way keeps what it loaded: a child JVM rebuilds a missing index over
 * {@value #MESSAGES} stored messages, its embedder stalls for good after {@value #STALL_AFTER} texts, and it is
 * killed there. Opened again, the index is not rebuilt from nothing: it holds the committed part, and its catch-up
 * adds the rest.
 */
@Timeout(120)
class RebuildKillTest {
    static final VectorSettings SETTINGS = IndexKillTest.SETTINGS.toBuilder().rebuildBatchSize(100).build();
    static final int MESSAGES = 1_500;
    static final int STALL_AFTER = 1_100;

    @TempDir
    Path dir;

    @Test
    void a_rebuild_killed_half_way_resumes_from_its_last_commit() throws Exception {
        try (IndexHarness h = new IndexHarness(dir)) {
            for (int i = 0; i < MESSAGES; i++) h.say("c" + i % 3, "u", "重建 " + word(i), NOW);
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean stalled = false;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("STALLED")) {
                    stalled = true;
                    break;
                }
            }
            assertThat(stalled).as("the child's rebuild reached the stall").isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            if (child.isAlive()) child.destroyForcibly().waitFor();
        }

        try (IndexHarness h = new IndexHarness(dir);
             LuceneMemoryIndex index = LuceneMemoryIndex.openDeferred(h.indexDir(), SETTINGS, new HashingEmbedder(),
                     h.storage, StoredMemoryReader.none(), h.clock, System.err)) {
            assertThat(index.messageCount()).as("the rebuild's commits survived the kill")
                    .isGreaterThanOrEqualTo(LoadSink.COMMIT_ITEMS).isLessThan(MESSAGES);
            IndexCatchUp catchUp = index.startCatchUp(new ChatLocks(4));
            assertThat(catchUp.await(Duration.ofMinutes(1))).isTrue();
            assertThat(index.openReport().outcome()).as("caught up, not rebuilt").isEqualTo(IndexOpenReport.Outcome.REUSED);
            assertThat(index.messageCount()).isEqualTo(MESSAGES);
        }
    }

    /** The process that is killed: rebuilds the index until its embedder stalls, prints {@code STALLED}, waits. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            IndexHarness h = new IndexHarness(Path.of(args[0]));
            CountDownLatch never = new CountDownLatch(1);
            AtomicInteger texts = new AtomicInteger();
            HashingEmbedder hashing = new HashingEmbedder();
            Embedder stalling = new Embedder() {
                @Override
                public float[] embed(String text) {
                    return embedAll(List.of(text)).getFirst();
                }

                @Override
                public List<float[]> embedAll(List<String> batch) {
                    if (texts.addAndGet(batch.size()) > STALL_AFTER) {
                        System.out.println("STALLED");
                        System.out.flush();
                        try {
                            never.await(); // until killed
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return hashing.embedAll(batch);
                }

                @Override
                public int dimensions() {
                    return hashing.dimensions();
                }

                @Override
                public String modelId() {
                    return hashing.modelId();
                }
            };
            LuceneMemoryIndex index = LuceneMemoryIndex.openDeferred(h.indexDir(), SETTINGS, stalling, h.storage,
                    StoredMemoryReader.none(), h.clock, System.err);
            index.startCatchUp(new ChatLocks(4));
            never.await();
        }
    }
}
