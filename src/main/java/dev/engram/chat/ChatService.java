package dev.engram.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.common.Failures;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmResponse;
import dev.engram.llm.Prompts;
import dev.engram.model.Memory;
import dev.engram.llm.LlmTimeoutException;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.store.MessageRepository;
import dev.engram.model.NewMessage;

/**
 * The message pipeline of DESIGN.md: persist (acknowledged = durable) ▸ recall under a deadline
 * ▸ prompt ▸ reply ▸ persist the reply. Memory work never runs here: recall is bounded by
 * {@code recallTimeout} and storing is a task for the engine. Thread-safe; meant to be called
 * from many virtual threads at once.
 */
public final class ChatService {
    private static final Logger log = LoggerFactory.getLogger(ChatService.class);

    private final ChatMemory memory;
    private final MessageRepository messages;
    private final LlmClient llm;
    private final PromptAssembler prompts;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param memoryEnabled   {@code memory.enable_memory}; when false recall is skipped ({@code disabled})
     * @param recallTimeout   hard deadline of recall on the reply path
     * @param replyTimeout    longest wait for the reply model
     * @param historyMessages recent messages put into the prompt
     */
    public record Settings(boolean memoryEnabled, Duration recallTimeout, Duration replyTimeout, int historyMessages,
                           int topK) {
    }

    public ChatService(ChatMemory memory, MessageRepository messages, LlmClient llm,
                       Prompts prompts, String persona, Clock clock, Settings settings) {
        this.memory = memory;
        this.messages = messages;
        this.llm = llm;
        this.prompts = new PromptAssembler(prompts, persona, clock.getZone());
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * A message stored and its memories recalled, waiting for a reply from whoever answers it (the reply model
     * here, or an upstream model behind a proxy surface).
     *
     * @param intake     the stored message; a duplicate has an empty recall
     * @param recall     what recall found, and how it ended
     * @param used       the memories to inject: at most {@code topK} of the recall
     * @param memoryTime time recall took (bounded by the recall deadline)
     */
    public record Turn(Intake intake, Recall recall, List<Memory> used, Duration memoryTime) {
        public Turn {
            used = List.copyOf(used);
        }

        /** The stored user message. */
        public ChatMessage message() {
            return intake.message();
        }
    }

    /**
     * Stores a message without answering it (a group message the bot only observes): durable and memorised
     * like any other, idempotent by its external id.
     */
    public Intake observe(ChatRequest request) {
        return memory.intake(newMessage(request));
    }

    /**
     * Stores a message and recalls memories for it under the recall deadline; never waits longer and never
     * throws for a memory failure (the recall's status says what happened). A duplicate is not recalled for.
     * The recall's query embedding starts before the message is stored, so the two overlap.
     */
    public Turn begin(ChatRequest request) {
        NewMessage message = newMessage(request);
        if (settings.memoryEnabled()) prepareRecall(message.text());
        Intake intake = memory.intake(message);
        if (intake.duplicate()) return new Turn(intake, Recall.empty(RecallStatus.SKIPPED), List.of(), Duration.ZERO);
        long recallStart = System.nanoTime();
        Recall recall = recall(intake.message());
        Duration memoryTime = Duration.ofNanos(System.nanoTime() - recallStart);
        var used = recall.memories().size() > settings.topK()
                ? recall.memories().subList(0, settings.topK()) : recall.memories();
        return new Turn(intake, recall, used, memoryTime);
    }

    /**
     * Stores the reply to a {@link #begin begun} turn: it stays in the history, but what it restates of the
     * injected memories is not memorised again. Durable when this returns.
     */
    public ChatMessage finish(Turn turn, String replyText) {
        return memory.persistReply(NewMessage.assistant(turn.message().chatId(), replyText, clock.instant()), turn.used());
    }

    /** The memories as the reply prompt's memory section (empty text for none), e.g. for a system message. */
    public String memoryBlock(List<Memory> used) {
        return PromptAssembler.memoryBlock(used);
    }

    /**
     * Handles one message and returns the reply; a duplicate (same chat and external id as an earlier message)
     * is neither stored again nor answered ({@link ChatResult#duplicate()}).
     *
     * @throws ReplyFailedException when the reply model fails or times out (the message stays stored)
     */
    public ChatResult handle(ChatRequest request) {
        long start = System.nanoTime();
        Turn turn = begin(request);
        ChatMessage stored = turn.message();
        if (turn.intake().duplicate()) {
            return ChatResult.duplicateOf(request.chatId(), stored.id(), Duration.ofNanos(System.nanoTime() - start));
        }

        List<ChatMessage> history = messages.recent(request.chatId(), settings.historyMessages() + 1).stream()
                .filter(m -> m.id() != stored.id()).toList();
        if (history.size() > settings.historyMessages()) history = history.subList(1, history.size());

        long replyStart = System.nanoTime();
        String reply = reply(stored, history, turn.used());
        Duration replyTime = Duration.ofNanos(System.nanoTime() - replyStart);

        ChatMessage storedReply = finish(turn, reply);
        return new ChatResult(reply, request.chatId(), stored.id(), storedReply.id(), turn.used(), turn.recall().status(),
                turn.memoryTime(), replyTime, Duration.ofNanos(System.nanoTime() - start), false);
    }

    private NewMessage newMessage(ChatRequest r) {
        return new NewMessage(r.chatId(), ChatMessage.Role.USER, r.userId(), r.userName(), r.message(), clock.instant(),
                r.externalId());
    }

    private void prepareRecall(String query) {
        try {
            memory.prepareRecall(query);
        } catch (RuntimeException e) {
            log.debug("preparing the recall failed: {}", e.toString()); // the recall itself will tell
        }
    }

    private Recall recall(ChatMessage stored) {
        if (!settings.memoryEnabled()) return Recall.empty(RecallStatus.DISABLED);
        Instant deadline = clock.instant().plus(settings.recallTimeout());
        try {
            // The memory port honours the deadline itself; the extra margin only guards against a broken port.
            return memory.recall(stored.chatId(), stored.text(), Set.of(stored.id()), deadline)
                    .get(settings.recallTimeout().toMillis() + 250, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("瞬时记忆检索超时 chat={} (recall port missed its deadline)", stored.chatId());
            return Recall.empty(RecallStatus.TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Recall.empty(RecallStatus.SKIPPED);
        } catch (ExecutionException e) {
            log.warn("recall failed for chat={}: {}", stored.chatId(), e.getCause().toString());
            return Recall.empty(RecallStatus.SKIPPED);
        }
    }

    private String reply(ChatMessage stored, List<ChatMessage> history, List<Memory> used) {
        CompletableFuture<LlmResponse> call = llm.complete(prompts.reply(stored, history, used));
        try {
            return call.get(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS).text();
        } catch (TimeoutException e) {
            call.cancel(true); // nobody waits for it any more; let the client drop the request
            throw new ReplyFailedException("reply model did not answer within " + settings.replyTimeout().toMillis()
                    + " ms", true, stored.id(), e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ReplyFailedException("interrupted while waiting for the reply model", false, stored.id(), e);
        } catch (ExecutionException e) {
            Throwable cause = Failures.unwrap(e);
            throw new ReplyFailedException("reply model failed: " + cause.getMessage(),
                    cause instanceof LlmTimeoutException, stored.id(), cause);
        }
    }
}
