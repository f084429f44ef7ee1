package dev.engram.memory.instant;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;
import dev.engram.text.TextAnalysis;
import dev.engram.text.TimeExpressions;
import dev.engram.text.TimeRange;

/**
 * Instant-memory recall by keywords and time (the original's {@code get_memory}, without the LLM on
 * the reply path, and ranked and limited). Named {@value #NAME}; candidate keys are {@code i:<memoryId>}.
 *
 * <p>Steps: (1) the time range the query names ({@link TimeExpressions#range}; none = no filter); (2) weighted
 * terms of the query ({@link dev.engram.text.TextAnalysis}, no LLM); (3) the chat's memories in the range
 * sharing a term, from the term index (the newest {@value #POSTINGS_PER_TERM} postings per term), topped up
 * with the newest memories in the range so partial matches are found too; scored on their stored terms; (4) {@link InstantScorer} score, newest first on ties; (5) when the query named
 * a time, memories of that time with no matching term follow at a low score. What is true now: a memory a
 * newer fact superseded ({@link StoredMemory#current}) is left out, unless the query asks about the past
 * ({@link PastQuestion}); then it may come back, ranked below every current one. (6) Facts written from the same
 * messages share one unit (their texts joined, best first). Thread-safe; each call is
 * a few indexed queries, no LLM.
 */
public final class InstantSource implements MemorySource {
    /** The source name reported on memories. */
    public static final String NAME = "instant";
    private static final int SCAN_TOP_UP = 100;
    /** Newest postings read per query term: bounds the cost of common terms (see {@link MemoryRepository#matchTerms}). */
    private static final int POSTINGS_PER_TERM = 200;
    private static final double TIME_ONLY_SCORE = 0.05;

    private final MemoryRepository memories;
    private final Clock clock;
    private final ZoneId zone;

    /** @param zone the zone that defines "today" and calendar months for time words in queries */
    public InstantSource(MemoryRepository memories, Clock clock, ZoneId zone) {
        this.memories = Objects.requireNonNull(memories, "memories");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Candidate> search(String chatId, String query, int k, Instant deadline) {
        ZonedDateTime now = clock.instant().atZone(zone);
        return lookup(chatId, QueryTerms.fromQuery(query, now), TimeExpressions.range(query, now),
                PastQuestion.asks(query), k, deadline);
    }

    /**
     * Looks memories up by keywords chosen elsewhere (e.g. by an LLM) and an optional time range.
     *
     * @param keywords keywords, each matched whole and by its tokens
     * @param range    the time filter, empty for none
     */
    public List<Candidate> lookup(String chatId, Collection<String> keywords, Optional<TimeRange> range, int k,
                                  Instant deadline) {
        ZonedDateTime now = clock.instant().atZone(zone);
        return lookup(chatId, QueryTerms.fromKeywords(keywords, now), range, false, k, deadline);
    }

    /** The current time in this source's zone (for parsing a time string the same way as queries). */
    public ZonedDateTime now() {
        return clock.instant().atZone(zone);
    }

    private List<Candidate> lookup(String chatId, Map<String, Double> terms, Optional<TimeRange> range,
                                   boolean history, int k, Instant deadline) {
        if (k <= 0 || (terms.isEmpty() && range.isEmpty())) return List.of();
        TimeRange bounds = range.orElse(TimeRange.ALL);
        Map<Long, StoredMemory> pool = new LinkedHashMap<>();
        Map<Long, Set<String>> termsById = new HashMap<>();
        if (!terms.isEmpty()) {
            for (MemoryRepository.TermMatch t : memories.matchTerms(chatId, terms.keySet(), bounds.from(), bounds.to(),
                    POSTINGS_PER_TERM, Math.max(3 * k, 30))) {
                pool.put(t.memory().id(), t.memory());
                termsById.put(t.memory().id(), t.terms());
            }
            if (pool.size() < k && clock.instant().isBefore(deadline)) {
                List<StoredMemory> newest = memories.byChat(chatId, bounds.from(), bounds.to(), SCAN_TOP_UP);
                newest.forEach(m -> pool.putIfAbsent(m.id(), m));
                termsById.putAll(memories.termsOf(newest.stream().map(StoredMemory::id)
                        .filter(id -> !termsById.containsKey(id)).toList()));
            }
        }
        List<Candidate> ranked = new ArrayList<>();
        List<Candidate> past = new ArrayList<>();
        for (StoredMemory m : pool.values()) {
            if (!m.current() && !history) continue;
            double score = InstantScorer.score(terms, termsById.getOrDefault(m.id(), Set.of()));
            if (score > 0) (m.current() ? ranked : past).add(candidate(m, score));
        }
        Comparator<Candidate> order = Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparing(Candidate::createdAt, Comparator.reverseOrder());
        ranked.sort(order);
        past.sort(order);
        double floor = ranked.isEmpty() ? 1 : ranked.getLast().score();
        for (Candidate c : past) ranked.add(below(c, floor));
        if (range.isPresent() && ranked.size() < k) {
            List<String> have = ranked.stream().map(Candidate::key).toList();
            for (StoredMemory m : memories.byChat(chatId, bounds.from(), bounds.to(), k)) {
                if (ranked.size() >= k) break;
                if (!m.current() && !history) continue;
                if (!have.contains(key(m))) ranked.add(candidate(m, TIME_ONLY_SCORE));
            }
        }
        List<Candidate> units = byMessage(ranked);
        return units.size() > k ? List.copyOf(units.subList(0, k)) : List.copyOf(units);
    }

    /**
     * One unit per source message: the facts written from the same messages at the same time (one statement split
     * into several facts) are joined, in rank order, into the unit of the best-ranked one, so they fill one place of the top k.
     */
    private static List<Candidate> byMessage(List<Candidate> ranked) {
        Map<List<Object>, Integer> at = new HashMap<>();
        List<Candidate> out = new ArrayList<>(ranked.size());
        for (Candidate c : ranked) {
            List<Object> source = List.of(c.messageIds(), c.createdAt());
            Integer i = c.messageIds().isEmpty() ? null : at.get(source);
            if (i == null) {
                if (!c.messageIds().isEmpty()) at.put(source, out.size());
                out.add(c);
            } else {
                Candidate first = out.get(i);
                String joint = TextAnalysis.hasCjk(first.text()) ? "；" : "; ";
                out.set(i, new Candidate(first.key(), first.text() + joint + c.text(), first.score(), first.messageIds(),
                        first.createdAt()));
            }
        }
        return out;
    }

    private static Candidate candidate(StoredMemory m, double score) {
        return new Candidate(key(m), m.text(), score, m.messageIds(), m.createdAt());
    }

    /** A superseded memory's candidate, scored just below {@code floor} (the lowest current score). */
    private static Candidate below(Candidate c, double floor) {
        double score = Math.min(c.score(), floor) * 0.99;
        return new Candidate(c.key(), c.text(), score, c.messageIds(), c.createdAt());
    }

    private static String key(StoredMemory m) {
        return "i:" + m.id();
    }
}
