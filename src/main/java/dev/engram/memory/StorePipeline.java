package dev.engram.memory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.llm.LlmClient;
import dev.engram.llm.Prompts;
import dev.engram.memory.instant.InstantMemorySettings;
import dev.engram.memory.instant.InstantMemoryWriter;
import dev.engram.model.ChatMessage;
import dev.engram.store.MemoryRepository;
import dev.engram.store.MessageRepository;
import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;
import dev.engram.text.TimeRange;
import dev.engram.text.Utterances;

/**
 * The handler of a {@code Store(chatId, content, messageIds)} task. Runs on the task engine's ingest
 * lane, never on the reply path.
 *
 * <p>Decided per role: a user message is memorised as it is; a bot reply only with what it adds beyond the
 * memories injected into its prompt (the task's content, see {@link MemoryService#persistReply}), and the
 * offline template reply not at all. Questions, greetings and acknowledgements are indexed as raw messages
 * but are not facts: they never start the instant-memory step. Earlier bot replies in the instant-memory
 * window are stripped of what restates the window's user messages or the chat's recent memories.
 *
 * <p>Steps, in this order:
 * <ol>
 *   <li>index the task's raw messages ({@link MemoryIndexWriter#indexMessages}), so they are recallable on
 *       the next turn even if the LLM is slow or down;</li>
 *   <li>if {@code enableLlmInstantMemory}: the instant-memory step ({@link InstantMemoryWriter}): facts from the
 *       task's messages, with the few before them as context ({@code content} alone when the task has no
 *       stored messages);</li>
 *   <li>index the facts it wrote ({@link MemoryIndexWriter#indexMemory}); also after a replay, in case the
 *       first attempt stopped between writing and indexing.</li>
 * </ol>
 * Idempotent: indexing is idempotent by id, and the memory is keyed by the task's message ids (or its
 * content), so a replayed or retried task neither indexes nor writes twice. Failures (LLM, index,
 * database) propagate unchanged for the engine's retry decision; step 1 is done by then. Thread-safe
 * (no mutable state); the engine runs one task per chat at a time, in order.
 */
public final class StorePipeline {
    private static final Logger log = LoggerFactory.getLogger(StorePipeline.class);

    private final MessageRepository messages;
    private final MemoryRepository memories;
    private final MemoryIndexWriter index;
    private final InstantMemoryWriter writer;
    private final Clock clock;
    private final Settings settings;

    /**
     * @param indexMessages          {@code memory.enable_vector_instant_memory}: index raw messages
     * @param enableLlmInstantMemory {@code memory.enable_llm_instant_memory}: run the instant-memory step
     * @param instant                window, de-dup and zone settings of the instant-memory step
     */
    public record Settings(boolean indexMessages, boolean enableLlmInstantMemory, InstantMemorySettings instant) {
        public Settings {
            Objects.requireNonNull(instant, "instant");
        }
    }

    /**
     * What a store did.
     *
     * @param messagesIndexed raw messages written to the index
     * @param instant         what the instant-memory step did, empty when it did not run
     * @param memories        the facts written (or re-indexed after a replay)
     */
    public record Outcome(int messagesIndexed, Optional<InstantMemoryWriter.Outcome> instant,
                          List<StoredMemory> memories) {
        public Outcome {
            Objects.requireNonNull(instant, "instant");
            memories = List.copyOf(memories);
        }

        /** Whether the chat's recallable memory changed, so its cached recalls must be invalidated. */
        public boolean memoryChanged() {
            return messagesIndexed > 0 || !memories.isEmpty();
        }
    }

    public StorePipeline(MessageRepository messages, MemoryRepository memories, MemoryIndexWriter index, LlmClient llm,
                         Prompts prompts, Clock clock, Settings settings) {
        this.messages = Objects.requireNonNull(messages, "messages");
        this.memories = Objects.requireNonNull(memories, "memories");
        this.index = Objects.requireNonNull(index, "index");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.writer = new InstantMemoryWriter(memories, llm, prompts, settings.instant());
    }

    /**
     * Stores one message (or a piece of content) into memory.
     *
     * @param chatId     the chat
     * @param content    the text to remember when the task names no messages, and, for a task of one bot reply,
     *                   what of the reply may be memorised; a task whose messages were all deleted (forgotten)
     *                   stores nothing
     * @param messageIds the stored messages of this task (usually one); messages of other chats are ignored
     */
    public Outcome store(String chatId, String content, List<Long> messageIds) throws Exception {
        Objects.requireNonNull(chatId, "chatId");
        List<ChatMessage> own = new ArrayList<>();
        for (ChatMessage m : messages.findRemembered(messageIds)) { // kept rows of a forgotten speaker: never memorised
            if (!m.chatId().equals(chatId)) {
                log.warn("store task for chat {} names message {} of chat {}; ignored", chatId, m.id(), m.chatId());
            } else {
                memorable(m, messageIds.size() == 1 ? content : m.text()).ifPresent(own::add);
            }
        }
        int indexed = 0;
        if (settings.indexMessages() && !own.isEmpty()) {
            index.indexMessages(own);
            indexed = own.size();
        }
        if (!settings.enableLlmInstantMemory()) return new Outcome(indexed, Optional.empty(), List.of());

        List<ChatMessage> context;
        String sourceKey;
        if (!own.isEmpty()) {
            if (own.stream().allMatch(m -> Utterances.isNotAFact(m.text()))) {
                return new Outcome(indexed, Optional.empty(), List.of()); // questions and small talk are no facts
            }
            List<ChatMessage> window = withoutEchoes(chatId, own, MessageWindow.load(messages, own,
                    settings.instant().windowMessages(), settings.instant().windowSpan()));
            Set<Long> ownIds = own.stream().map(ChatMessage::id).collect(Collectors.toSet());
            context = window.stream().filter(m -> !ownIds.contains(m.id())).toList();
            sourceKey = "m:" + own.stream().map(m -> Long.toString(m.id())).sorted().collect(Collectors.joining(","));
        } else if (messageIds.isEmpty() && content != null && !content.isBlank() && !Utterances.isNotAFact(content)) {
            // content without provenance (POST /api/memory); a task whose messages are gone (or marked) was forgotten
            own = List.of(new ChatMessage(0, chatId, ChatMessage.Role.USER, null, null, content, clock.instant(), 0, null));
            context = List.of();
            sourceKey = "c:" + TextSimilarity.contentHash(content);
        } else {
            return new Outcome(indexed, Optional.empty(), List.of());
        }
        InstantMemoryWriter.Result result = writer.write(chatId, context, own, sourceKey);
        for (StoredMemory m : result.memories()) index.indexMemory(m);
        return new Outcome(indexed, Optional.of(result.outcome()), result.memories());
    }

    /**
     * The message as memory sees it: a user message as it is; a bot reply reduced to what it adds (the task's
     * content, which {@link MemoryService#persistReply} already cut down to it, without the offline template),
     * or nothing.
     */
    private static Optional<ChatMessage> memorable(ChatMessage m, String taskText) {
        if (m.role() == ChatMessage.Role.USER) return Optional.of(m);
        String text = EchoFilter.memorable(taskText == null ? m.text() : taskText, List.of());
        return text.isBlank() ? Optional.empty() : Optional.of(withText(m, text));
    }

    /**
     * The instant-memory window with the task's own messages as memory sees them and earlier bot replies
     * without what restates the window's user messages or the chat's recent memories (an offline template is
     * left out altogether).
     */
    private List<ChatMessage> withoutEchoes(String chatId, List<ChatMessage> own, List<ChatMessage> window) {
        Map<Long, ChatMessage> ownById = new HashMap<>();
        own.forEach(m -> ownById.put(m.id(), m));
        List<String> known = null;
        List<ChatMessage> out = new ArrayList<>(window.size());
        for (ChatMessage m : window) {
            ChatMessage mine = ownById.get(m.id());
            if (mine != null || m.role() == ChatMessage.Role.USER) {
                out.add(mine != null ? mine : m);
                continue;
            }
            if (EchoFilter.isOfflineTemplate(m.text())) continue;
            if (known == null) known = knownTexts(chatId, window);
            String text = EchoFilter.memorable(m.text(), known);
            if (!text.isBlank()) out.add(withText(m, text));
        }
        return out;
    }

    private List<String> knownTexts(String chatId, List<ChatMessage> window) {
        List<String> known = new ArrayList<>();
        window.stream().filter(m -> m.role() == ChatMessage.Role.USER).map(ChatMessage::text).forEach(known::add);
        memories.byChat(chatId, TimeRange.ALL.from(), TimeRange.ALL.to(), settings.instant().duplicateLookback())
                .forEach(m -> known.add(m.text()));
        return known;
    }

    private static ChatMessage withText(ChatMessage m, String text) {
        return new ChatMessage(m.id(), m.chatId(), m.role(), m.userId(), m.userName(), text, m.createdAt(),
                m.memorizedTimes(), m.externalId());
    }
}
