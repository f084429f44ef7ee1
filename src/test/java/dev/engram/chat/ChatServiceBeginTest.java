package dev.engram.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.engram.llm.Prompts;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;

/** {@link ChatService#begin}: the recall is prepared before the intake, and a failing preparation changes nothing. */
class ChatServiceBeginTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    /** Records the order of the calls; {@code prepareRecall} throws when told to. */
    private static final class RecordingMemory implements ChatMemory {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final boolean prepareFails;

        RecordingMemory(boolean prepareFails) {
            this.prepareFails = prepareFails;
        }

        @Override
        public void prepareRecall(String query) {
            calls.add("prepare:" + query);
            if (prepareFails) throw new IllegalStateException("embedding pool gone");
        }

        @Override
        public Intake intake(NewMessage m) {
            calls.add("intake:" + m.text());
            return Intake.created(new ChatMessage(7, m.chatId(), m.role(), m.userId(), m.userName(), m.text(),
                    m.createdAt(), 0, m.externalId()));
        }

        @Override
        public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> exclude, Instant deadline) {
            calls.add("recall:" + query + " without " + exclude);
            return CompletableFuture.completedFuture(Recall.empty(RecallStatus.OK));
        }
    }

    private static ChatService service(ChatMemory memory, boolean memoryEnabled) {
        // begin() uses neither the message repository nor the reply model
        return new ChatService(memory, null, null, Prompts.loadDefault(), "bot", CLOCK,
                new ChatService.Settings(memoryEnabled, Duration.ofSeconds(2), Duration.ofSeconds(5), 10, 5));
    }

    @Test
    void the_query_embedding_starts_before_the_message_is_stored() {
        RecordingMemory memory = new RecordingMemory(false);
        ChatService.Turn turn = service(memory, true).begin(new ChatRequest("c1", "u1", "小林", "我下周二去北京"));

        assertThat(memory.calls).containsExactly("prepare:我下周二去北京", "intake:我下周二去北京",
                "recall:我下周二去北京 without [7]");
        assertThat(turn.recall().status()).isEqualTo(RecallStatus.OK);
    }

    @Test
    void a_failing_preparation_still_stores_and_recalls() {
        RecordingMemory memory = new RecordingMemory(true);
        ChatService.Turn turn = service(memory, true).begin(new ChatRequest("c1", "u1", "小林", "你好"));

        assertThat(memory.calls).containsExactly("prepare:你好", "intake:你好", "recall:你好 without [7]");
        assertThat(turn.message().id()).isEqualTo(7);
    }

    @Test
    void with_memory_off_nothing_is_prepared_or_recalled() {
        RecordingMemory memory = new RecordingMemory(false);
        ChatService.Turn turn = service(memory, false).begin(new ChatRequest("c1", "u1", "小林", "你好"));

        assertThat(memory.calls).containsExactly("intake:你好");
        assertThat(turn.recall().status()).isEqualTo(RecallStatus.DISABLED);
    }
}
