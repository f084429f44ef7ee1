package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.model.ChatMessage;

/**
 * Interrupting a thread in the middle of index writes (a store task timing out, shutdown past its drain deadline)
 * ends only that thread's wait: the index writer survives, later writes and the final commit succeed, and what
 * was written is searchable after a reopen. Before writes were shielded, Lucene's interruptible file channels
 * closed the writer for good ({@code ClosedByInterruptException}, then "this IndexWriter is closed").
 */
class InterruptedWriterTest {
    private static final VectorSettings SETTINGS = DefaultSettings.vector().toBuilder().similarityThreshold(0).build();
    @TempDir
    Path dir;

    @Test
    void interrupts_during_writes_never_close_the_index_writer() throws Exception {
        try (IndexHarness h = new IndexHarness(dir)) {
            LuceneMemoryIndex index = h.open(new HashingEmbedder(), SETTINGS);
            AtomicInteger written = new AtomicInteger();
            AtomicInteger interruptedWaits = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().uncaughtExceptionHandler((t, e) -> {
                failure.set(e);
                started.countDown();
            }).start(() -> {
                for (int i = 0; i < 400; i++) {
                    ChatMessage m = h.say("c", "小林", "第 " + i + " 条 " + IndexHarness.word(i), IndexHarness.NOW);
                    try {
                        index.indexMessages(List.of(m));
                        index.commit();
                        written.incrementAndGet();
                    } catch (InterruptedIOException e) {
                        interruptedWaits.incrementAndGet();
                        Thread.interrupted(); // the task gives up this write's wait and goes on with the next
                    } catch (Exception e) {
                        throw new AssertionError("index write failed after " + written.get() + " writes", e);
                    }
                    started.countDown();
                }
            });
            started.await();
            while (writer.isAlive()) {
                writer.interrupt();
                Thread.onSpinWait();
            }
            assertThat(failure.get()).as("the writing thread's failure").isNull();
            assertThat(interruptedWaits.get()).as("the interrupts reached the writes").isPositive();

            // the writer is alive: more writes and the commit of close succeed
            index.indexMessages(List.of(h.say("c", "小林", "最后一条 zqfinal", IndexHarness.NOW)));
            index.close();
            LuceneMemoryIndex reopened = h.open(new HashingEmbedder(), SETTINGS);
            assertThat(reopened.messageCount()).isEqualTo(401);
            assertThat(IndexHarness.keys(reopened.lexicalSource(), "c", "zqfinal")).hasSize(1);
            reopened.close();
        }
    }
}
