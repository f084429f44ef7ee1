package dev.engram.memory.instant;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
import dev.engram.text.AbsoluteDates;
import dev.engram.text.TextAnalysis;
import dev.engram.text.TextSimilarity;
import dev.engram.text.TimeExpression;
import dev.engram.text.TimeExpressions;
import dev.engram.text.TimeRange;
import dev.engram.text.Transcript;
import dev.engram.model.ChatMessage;
import dev.engram.store.MemoryRepository;

/**
 * Writes instant memories as atomic facts (the original's {@code InstantMemory.create_and_store_memory},
 * rebuilt on Mem0's extraction / update design):
 * <ol>
 *   <li>replay check: when this {@code sourceKey} already wrote its facts, they are returned as they are, so a
 *       replayed store task never writes twice;</li>
 *   <li>{@code MEMORY_NEED_BUILD} on the task's own messages, read strictly ({@code 1}/{@code 0}, yes/no, JSON
 *       flag; an unreadable answer counts as "no");</li>
 *   <li>{@code MEMORY_BUILD} (fact extraction) on the own messages, with the earlier window messages as context
 *       only, read by {@link LlmOutputs#facts}: atomic, self-contained, speaker-attributed facts; relative days a
 *       model left in a fact are rewritten to absolute dates of the newest message's day, and a fact's
 *       {@code time} is added to its text when the text does not name that day;</li>
 *   <li>per fact, provenance: the own messages the fact was drawn from (shingle overlap), else all of them;</li>
 *   <li>per fact, what is true now ({@link FactUpdate}): compared with the chat's current facts of the same
 *       speaker and attribute that share a search term, a fact that repeats one is not stored (NOOP), one with a
 *       new value is stored and supersedes them (UPDATE: they keep their text and get {@code valid_to});
 *       otherwise (ADD) de-duplication: same normalised text as a current memory, or Jaccard/containment &gt;=
 *       {@code duplicateSimilarity} with one of the chat's newest current memories, is not stored again;</li>
 *   <li>insert with its search terms (and, for UPDATE, the superseded ids in the same transaction). The facts
 *       after the first stored are keyed {@code sourceKey#n}; the last one stored takes {@code sourceKey} itself,
 *       so that key marks the task's facts as complete (a task that stopped half-way is redone, and the facts it
 *       already wrote are then duplicates).</li>
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
    /** What the {@code history} variable holds when there are no earlier messages. */
    static final String NO_HISTORY = "（无）";

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

    /** What one write did (for several facts: the strongest of their outcomes, in this order). */
    public enum Outcome {
        /** A new fact superseded the chat's current facts of the same speaker and attribute. */
        UPDATED,
        /** New facts were stored. */
        CREATED,
        /** This source key already wrote its facts (a replayed task); they are returned again. */
        ALREADY_WRITTEN,
        /** Every fact was identical or nearly identical to one the chat already has. */
        DUPLICATE,
        /** The model judged the messages not worth remembering, or found no fact in them. */
        NOT_WORTH_REMEMBERING,
        /** The model's answer was not readable JSON with facts. */
        UNREADABLE
    }

    /**
     * The result: the facts stored for {@link Outcome#CREATED} and {@link Outcome#UPDATED} (a fact's
     * {@link StoredMemory#supersedes} lists what it replaced) or found for {@link Outcome#ALREADY_WRITTEN}, in
     * the order the model gave them; else empty.
     */
    public record Result(Outcome outcome, List<StoredMemory> memories) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            memories = List.copyOf(memories);
        }

        static Result of(Outcome outcome) {
            return new Result(outcome, List.of());
        }
    }

    /** A fact ready to store, with its update decision. */
    private record Pending(String text, List<String> keywords, Set<String> terms, String hash, List<Long> provenance,
                           FactUpdate update) {
    }

    /**
     * @param chatId    the chat
     * @param context   the few messages before the task's own, oldest first (context for the model only); may be empty
     * @param own       the task's own messages, oldest first; not empty
     * @param sourceKey identity of the calling task, for idempotence (see {@link MemoryRepository#insert})
     */
    public Result write(String chatId, List<ChatMessage> context, List<ChatMessage> own, String sourceKey)
            throws InterruptedException {
        Objects.requireNonNull(chatId, "chatId");
        if (own.isEmpty()) throw new IllegalArgumentException("own messages must not be empty");
        Optional<StoredMemory> written = memories.findBySource(chatId, sourceKey);
        if (written.isPresent()) return new Result(Outcome.ALREADY_WRITTEN, writtenFacts(chatId, sourceKey, written.get()));

        String text = Transcript.render(own, settings.zone());
        String judgement = LlmCalls.text(llm, prompts.request(PromptId.MEMORY_NEED_BUILD, ModelSlot.UTILS,
                Map.of("text", text)));
        Optional<Boolean> need = LlmOutputs.needBuild(judgement);
        if (need.isEmpty()) log.warn("unreadable memory judgement for chat {}, treated as 0: {}", chatId, abbreviate(judgement));
        if (!need.orElse(false)) {
            log.debug("不需要记忆：{}", abbreviate(own.getLast().text()));
            return Result.of(Outcome.NOT_WORTH_REMEMBERING);
        }

        String history = context.isEmpty() ? NO_HISTORY : Transcript.render(context, settings.zone());
        String answer = LlmCalls.text(llm, prompts.request(PromptId.MEMORY_BUILD, ModelSlot.UTILS,
                Map.of("history", history, "text", text)));
        Optional<List<LlmOutputs.ExtractedFact>> facts = LlmOutputs.facts(answer);
        if (facts.isEmpty()) {
            log.warn("unreadable facts for chat {}, nothing stored: {}", chatId, abbreviate(answer));
            return Result.of(Outcome.UNREADABLE);
        }
        if (facts.get().isEmpty()) return Result.of(Outcome.NOT_WORTH_REMEMBERING);

        LocalDate day = own.getLast().createdAt().atZone(settings.zone()).toLocalDate();
        List<Pending> pending = new ArrayList<>();
        for (LlmOutputs.ExtractedFact fact : facts.get()) {
            decide(chatId, own, factText(fact, day), fact.keywords(), pending).ifPresent(pending::add);
        }
        if (pending.isEmpty()) return Result.of(Outcome.DUPLICATE);
        List<StoredMemory> stored = new ArrayList<>();
        Instant at = own.getLast().createdAt();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            String key = i == pending.size() - 1 ? sourceKey : sourceKey + "#" + (i + 1);
            StoredMemory m = memories.insert(new MemoryRepository.NewMemory(chatId, p.text(), p.keywords(),
                    p.provenance(), at, p.hash(), key, p.terms()), p.update().supersedes());
            log.info("需要记忆：{}{}", abbreviate(p.text()), m.supersedes().isEmpty() ? "" : "（取代 " + m.supersedes() + "）");
            stored.add(m);
        }
        boolean updated = stored.stream().anyMatch(m -> !m.supersedes().isEmpty());
        return new Result(updated ? Outcome.UPDATED : Outcome.CREATED, stored);
    }

    /** The fact as stored: relative days resolved, its {@code time} added when the text does not name that day. */
    private static String factText(LlmOutputs.ExtractedFact fact, LocalDate day) {
        String text = AbsoluteDates.rewrite(fact.fact(), day);
        if (fact.time().isEmpty() || text.contains(fact.time())) return text;
        LocalDate time = LocalDate.parse(fact.time());
        boolean named = TimeExpressions.find(text, day).stream()
                .anyMatch(mention -> mention.meaning() instanceof TimeExpression.Day d && d.date().equals(time));
        return named ? text : text + (TextAnalysis.hasCjk(text) ? "（" + time + "）" : " (" + time + ")");
    }

    /** The fact to store with its decision, or empty when it repeats a current memory or one of this batch. */
    private Optional<Pending> decide(String chatId, List<ChatMessage> own, String text, List<String> keywords,
                                     List<Pending> batch) {
        String hash = TextSimilarity.contentHash(text);
        if (batch.stream().anyMatch(p -> p.hash().equals(hash))) return Optional.empty();
        Set<String> terms = MemoryTerms.of(text, keywords);
        FactUpdate update = FactUpdate.decide(text, similar(chatId, terms));
        if (update.kind() == FactUpdate.Kind.NOOP) {
            log.debug("fact for chat {} repeats memory {}, not stored: {}", chatId, update.duplicate().get().id(),
                    abbreviate(text));
            return Optional.empty();
        }
        if (update.kind() == FactUpdate.Kind.ADD
                && (memories.findByHash(chatId, hash).filter(StoredMemory::current).isPresent()
                || nearDuplicate(chatId, text))) {
            log.debug("duplicate memory for chat {} not stored: {}", chatId, abbreviate(text));
            return Optional.empty();
        }
        return Optional.of(new Pending(text, keywords, terms, hash, provenance(own, text), update));
    }

    /** The facts a finished task wrote: those keyed {@code sourceKey#n} and the last one, keyed {@code sourceKey}. */
    private List<StoredMemory> writtenFacts(String chatId, String sourceKey, StoredMemory last) {
        List<StoredMemory> out = new ArrayList<>();
        for (int n = 1; n < LlmOutputs.MAX_FACTS; n++) {
            memories.findBySource(chatId, sourceKey + "#" + n).ifPresent(out::add);
        }
        out.add(last);
        return out;
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
            if (!m.current() || !TextSimilarity.sameNumbers(text, m.text())) continue; // another number: another fact
            Set<String> other = TextSimilarity.shingles(m.text());
            if (TextSimilarity.jaccard(shingles, other) >= settings.duplicateSimilarity()
                    || TextSimilarity.containment(shingles, other) >= settings.duplicateSimilarity()) {
                return true;
            }
        }
        return false;
    }

    /** Ids of the messages the fact overlaps; all of them when none does (a paraphrase). */
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
