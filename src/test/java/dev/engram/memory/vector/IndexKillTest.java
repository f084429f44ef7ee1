package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.NOW;
import static dev.engram.memory.vector.IndexHarness.keys;
import static dev.engram.memory.vector.IndexHarness.word;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.ChatLocks;
import dev.engram.model.ChatMessage;

/**
 * The hot-chat scenario with a real {@code kill -9}: a child JVM commits a busy chat's messages, then indexes a
 * lagging chat's message whose id lies more than the catch-up slack below them (searchable, so its outbox row
 * would go), reports it and is killed with SIGKILL before any further commit. Opened again, the index catches up
 * the lagging message.
 */
@Timeout(120)
class IndexKillTest {
    static final VectorSettings SETTINGS = DefaultSettings.vector().toBuilder().similarityThreshold(0)
            .commitInterval(Duration.ofHours(1)).build();
    static final int BUSY = 1_500;
    static final String LAGGING_WORD = word(90_001);

    @TempDir
    Path dir;

    @Test
    void a_lagging_write_killed_before_the_commit_is_searchable_after_the_restart() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), dir.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String indexed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("INDEXED ")) {
                    indexed = line.substring("INDEXED ".length()).trim();
                    break;
                }
            }
            assertThat(indexed).as("the child indexed the lagging message").isNotNull();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            if (child.isAlive()) child.destroyForcibly().waitFor();
        }

        try (IndexHarness h = new IndexHarness(dir);
             LuceneMemoryIndex index = LuceneMemoryIndex.openDeferred(h.indexDir(), SETTINGS, new HashingEmbedder(),
                     h.storage, StoredMemoryReader.none(), h.clock, System.err)) {
            assertThat(index.messageCount()).as("the kill lost the uncommitted write").isEqualTo(BUSY);
            IndexCatchUp catchUp = index.startCatchUp(new ChatLocks(4));
            assertThat(catchUp.await(Duration.ofMinutes(1))).isTrue();
            assertThat(keys(index.lexicalSource(), "hot", LAGGING_WORD)).containsExactly("m:" + indexed);
            assertThat(index.messageCount()).isEqualTo(BUSY + 1);
        }
    }

    /** The process that is killed: prints {@code INDEXED <id>} once the lagging message is searchable, then waits. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            IndexHarness h = new IndexHarness(Path.of(args[0]));
            LuceneMemoryIndex index = h.open(new HashingEmbedder(), SETTINGS);
            ChatMessage lagging = h.say("hot", "u", "迟到的消息 " + LAGGING_WORD, NOW);
            List<ChatMessage> busy = new ArrayList<>();
            for (int i = 0; i < BUSY; i++) busy.add(h.say("busy", "u", "忙碌 " + word(i), NOW));
            index.indexMessages(busy);
            index.commit();
            index.indexMessages(List.of(lagging));
            if (keys(index.lexicalSource(), "hot", LAGGING_WORD).isEmpty()) throw new AssertionError("not searchable");
            System.out.println("INDEXED " + lagging.id());
            System.out.flush();
            new CountDownLatch(1).await(); // until killed
        }
    }
}
