package dev.engram.memory.recall;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemoryIndexWriter;
import dev.engram.memory.MemorySource;
import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;
import dev.engram.model.ChatMessage;

/**
 * A brute-force in-memory index for tests: the real {@link MemoryIndexWriter} port plus a
 * {@link MemorySource} scoring by shingle overlap. Keys {@code m:<id>} and {@code i:<id>}, idempotent by
 * key, filtered by chat. Thread-safe.
 */
public final class InMemoryIndex implements MemoryIndexWriter, MemorySource {
    private record Entry(String chatId, Candidate candidate, Set<String> shingles) {
    }

    private final String name;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();

    public InMemoryIndex(String name) {
        this.name = name;
    }

    public InMemoryIndex() {
        this("lexical");
    }

    @Override
    public void indexMessages(List<ChatMessage> messages) {
        for (ChatMessage m : messages) {
            writes.incrementAndGet();
            put(m.chatId(), new Candidate("m:" + m.id(), m.text(), 0, List.of(m.id()), m.createdAt()));
        }
    }

    @Override
    public void indexMemory(StoredMemory memory) {
        writes.incrementAndGet();
        put(memory.chatId(), new Candidate("i:" + memory.id(), memory.text(), 0, memory.messageIds(), memory.createdAt()));
    }

    private void put(String chatId, Candidate c) {
        entries.put(c.key(), new Entry(chatId, c, TextSimilarity.shingles(c.text())));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Candidate> search(String chatId, String query, int k, Instant deadline) {
        Set<String> q = TextSimilarity.shingles(query);
        List<Candidate> hits = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (!e.chatId().equals(chatId)) continue;
            double score = TextSimilarity.containment(q, e.shingles());
            if (score > 0) {
                Candidate c = e.candidate();
                hits.add(new Candidate(c.key(), c.text(), score, c.messageIds(), c.createdAt()));
            }
        }
        hits.sort(Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::key));
        return hits.size() > k ? List.copyOf(hits.subList(0, k)) : hits;
    }

    /** Keys of everything indexed. */
    public Set<String> keys() {
        return Set.copyOf(entries.keySet());
    }

    /** Index writes received (counting repeats). */
    public int writes() {
        return writes.get();
    }
}
