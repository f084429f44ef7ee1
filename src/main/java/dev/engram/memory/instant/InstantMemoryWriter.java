package dev.engram.memory.instant;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmOutputs;
import dev.engram.llm.ModelSlot;
import dev.engram.llm.PromptId;
import dev.engram.llm.Prompts;
import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;
import dev.engram.text.TimeRange;
import dev.engram.text.Transcript;
import dev.engram.model.ChatMessage;
import dev.engram.store.MemoryRepository;

/**
 * Writes LLM instant memories (the original's {@code InstantMemory.create_and_store_memory}, fixed):
 * <ol>
 *   <li>replay check: a memory already written for this {@code sourceKey} is returned as is, so a
 *       replayed store task never writes twice;</li>
 *   <li>{@code MEMORY_NEED_BUILD} on the rendered window, read strictly ({@code 1}/{@code 0}, yes/no, JSON
 *       flag; an unreadable answer counts as "no");</li>
 *   <li>{@code MEMORY_BUILD}, read as near-JSON {@code {"memory_text", "keywords"}}; relative days in the text
 *       are rewritten to absolute dates of the newest message's day;</li>
 *   <li>provenance: the window messages the text was drawn from (shingle overlap), else the whole window;</li>
 *   <li>what is true now ({@link FactUpdate}): compared with the chat's current facts of the same speaker and
 *       attribute that share a search term, a fact that repeats one is not stored (NOOP), one with a new value is
 *       stored and supersedes them (UPDATE: they keep their text and get {@code valid_to}); otherwise (ADD)</li>
 *   <li>de-duplication: same normalised text as a current memory, or Jaccard/containment &gt;=
 *       {@code duplicateSimilarity} with one of the chat's newest current memories, is not stored again;</li>
 *   <li>insert with its search terms (and, for UPDATE, the superseded ids in the same transaction).</li>
 * </ol>
 * LLM failures propagate unchanged (the task engine retries retriable ones). Runs on task-engine
 * workers, never on the reply path. Thread-safe (stateless apart from its collaborators); concurrent
 * writes for the same source key are serialised by the repository's unique key.
 */
public final class InstantMemoryWriter {
    private static final Logger log = LoggerFactory.getLogger(InstantMemoryWriter.class);
    private static final double PROVENANCE_OVERLAP = 0.35;
    private static final int SIMILAR_POSTINGS = 200;
    private static final int SIMILAR_LIMIT = 50;

    private final MemoryRepository memories;
    private final LlmClient llm;
    private final Prompts prompts;
    private final InstantMemorySettings settings;

    public InstantMemoryWriter(MemoryRepository memories, LlmClient llm, Prompts prompts,
                               InstantMemorySettings settings) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.llm = Objects.requireNonNull(llm, "llm");
        this.prompts = Objects.requireNonNull(prompts, "prompts");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** What one write did. */
    public enum Outcome {
        /** A new memory was stored. */
        CREATED,
        /** A new fact was stored and superseded the chat's current facts of the same speaker and attribute. */
        UPDATED,
        /** This source key already wrote its memory (a replayed task); it is returned again. */
        ALREADY_WRITTEN,
        /** The model judged the window not worth remembering (or gave no readable answer). */
        NOT_WORTH_REMEMBERING,
        /** The model's memory was not readable JSON with a {@code memory_text}. */
        UNREADABLE,
        /** The memory was identical or nearly identical to one the chat already has. */
        DUPLICATE
    }

    /**
     * The result: the memory for {@link Outcome#CREATED}, {@link Outcome#UPDATED} (its
     * {@link StoredMemory#supersedes} lists what it replaced) and {@link Outcome#ALREADY_WRITTEN}, else empty.
     */
    public record Result(Outcome outcome, Optional<StoredMemory> memory) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(memory, "memory");
        }

        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty());
        }
    }

    /**
     * @param chatId    the chat
     * @param window    the new message(s) and a few before, oldest first; not empty
     * @param sourceKey identity of the calling task, for idempotence (see {@link MemoryRepository#insert})
     */
    public Result write(String chatId, List<ChatMessage> window, String sourceKey) throws InterruptedException {
        Objects.requireNonNull(chatId, "chatId");
        if (window.isEmpty()) throw new IllegalArgumentException("window must not be empty");
        Optional<StoredMemory> written = memories.findBySource(chatId, sourceKey);
        if (written.isPresent()) return new Result(Outcome.ALREADY_WRITTEN, written);

        String transcript = Transcript.render(window, settings.zone());
        Map<String, String> vars = Map.of("text", transcript);
        String judgement = LlmCalls.text(llm, prompts.request(PromptId.MEMORY_NEED_BUILD, ModelSlot.UTILS, vars));
        Optional<Boolean> need = LlmOutputs.needBuild(judgement);
        if (need.isEmpty()) log.warn("unreadable memory judgement for chat {}, treated as 0: {}", chatId, abbreviate(judgement));
        if (!need.orElse(false)) {
            log.debug("不需要记忆：{}", abbreviate(window.getLast().text()));
            return Result.of(Outcome.NOT_WORTH_REMEMBERING);
        }

        String answer = LlmCalls.text(llm, prompts.request(PromptId.MEMORY_BUILD, ModelSlot.UTILS, vars));
        Optional<LlmOutputs.BuiltMemory> built = LlmOutputs.builtMemory(answer);
        if (built.isEmpty()) {
            log.warn("unreadable memory for chat {}, nothing stored: {}", chatId, abbreviate(answer));
            return Result.of(Outcome.UNREADABLE);
        }
        ChatMessage newest = window.getLast();
        String text = AbsoluteDates.rewrite(built.get().memoryText(), newest.createdAt().atZone(settings.zone()).toLocalDate());
        List<String> keywords = built.get().keywords();

        String hash = TextSimilarity.contentHash(text);
        Set<String> terms = MemoryTerms.of(text, keywords);
        FactUpdate update = FactUpdate.decide(text, similar(chatId, terms));
        if (update.kind() == FactUpdate.Kind.NOOP) {
            log.debug("fact for chat {} repeats memory {}, not stored: {}", chatId, update.duplicate().get().id(),
                    abbreviate(text));
            return Result.of(Outcome.DUPLICATE);
        }
        if (update.kind() == FactUpdate.Kind.ADD
                && (memories.findByHash(chatId, hash).filter(StoredMemory::current).isPresent()
                || nearDuplicate(chatId, text))) {
            log.debug("duplicate memory for chat {} not stored: {}", chatId, abbreviate(text));
            return Result.of(Outcome.DUPLICATE);
        }
        StoredMemory stored = memories.insert(new MemoryRepository.NewMemory(chatId, text, keywords,
                provenance(window, text), newest.createdAt(), hash, sourceKey, terms), update.supersedes());
        log.info("需要记忆：{}{}", abbreviate(text), stored.supersedes().isEmpty() ? "" : "（取代 " + stored.supersedes() + "）");
        return new Result(stored.supersedes().isEmpty() ? Outcome.CREATED : Outcome.UPDATED, Optional.of(stored));
    }

    /** The chat's memories sharing a search term with a new one: where a fact of the same attribute would be. */
    private List<StoredMemory> similar(String chatId, Set<String> terms) {
        return memories.matchTerms(chatId, terms, TimeRange.ALL.from(), TimeRange.ALL.to(), SIMILAR_POSTINGS,
                SIMILAR_LIMIT).stream().map(MemoryRepository.TermMatch::memory).toList();
    }

    private boolean nearDuplicate(String chatId, String text) {
        if (settings.duplicateLookback() == 0) return false;
        Set<String> shingles = TextSimilarity.shingles(text);
        for (StoredMemory m : memories.byChat(chatId, TimeRange.ALL.from(), TimeRange.ALL.to(), settings.duplicateLookback())) {
            if (!m.current()) continue;
            Set<String> other = TextSimilarity.shingles(m.text());
            if (TextSimilarity.jaccard(shingles, other) >= settings.duplicateSimilarity()
                    || TextSimilarity.containment(shingles, other) >= settings.duplicateSimilarity()) {
                return true;
            }
        }
        return false;
    }

    /** Ids of the window messages the memory text overlaps; the whole window when none does (a paraphrase). */
    static List<Long> provenance(List<ChatMessage> window, String text) {
        Set<String> memory = TextSimilarity.shingles(text);
        List<Long> ids = window.stream().filter(m -> {
            Set<String> msg = TextSimilarity.shingles(m.text());
            if (msg.isEmpty()) return false;
            int common = (int) Math.round(TextSimilarity.containment(msg, memory) * msg.size());
            return (double) common / Math.min(msg.size(), Math.max(memory.size(), 1)) >= PROVENANCE_OVERLAP;
        }).map(ChatMessage::id).filter(id -> id > 0).toList();
        return ids.isEmpty() ? window.stream().map(ChatMessage::id).filter(id -> id > 0).toList() : ids;
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 120) + "…";
    }
}
