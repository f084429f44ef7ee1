package dev.engram.memory.manage;

import java.io.BufferedReader;
import java.io.IOException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.EchoFilter;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.graph.GraphRestore;
import dev.engram.memory.instant.MemoryTerms;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository;
import dev.engram.store.Storage;
import dev.engram.text.TextSimilarity;

/**
 * Imports an export ({@link MemoryExport}'s JSON Lines) into this instance, keeping the chat ids:
 * <ol>
 *   <li>every line is parsed and checked first; a bad one fails the import with its line number and nothing is
 *       written;</li>
 *   <li>messages and memories are written in one transaction through the repositories, with new ids (provenance
 *       and history links follow them); a message already stored (same chat and external id, or without one the
 *       same time, role, speaker and text) and a memory already stored (same chat, text and time) are reused, so
 *       importing a file twice adds nothing;</li>
 *   <li>then the file's messages and current memories (added or reused, so a retry repairs a failed indexing) are
 *       indexed as a store indexes them (stored vectors reused, missing ones computed and kept), the graph is
 *       restored (a version 2 file: its concepts in order, items, and links at their strengths, in one write; a
 *       version 1 file: items added with their concepts linked as a store links them), and the chats' cached
 *       recalls are dropped.</li>
 * </ol>
 * Imported messages get no store task: their memories are the imported ones, not written again. Thread-safe.
 */
public final class MemoryImport {
    private static final Logger audit = LoggerFactory.getLogger("dev.engram.audit");
    /** Most concepts one graph write takes (the topic rules). */
    private static final int CONCEPTS_PER_WRITE = 8;

    private final Storage storage;
    private final LuceneMemoryIndex index;
    private final GraphMemory graph;
    private final RecallCache cache;
    private final boolean indexMessages;

    /** A line that cannot be imported; nothing was written. */
    public static final class InvalidLineException extends IllegalArgumentException {
        private final int line;

        public InvalidLineException(int line, String detail) {
            super("line " + line + ": " + detail);
            this.line = line;
        }

        /** The 1-based line number. */
        public int line() {
            return line;
        }
    }

    /**
     * What an import wrote.
     *
     * @param messages          messages added
     * @param messagesExisting  messages already stored (reused)
     * @param memories          memories added
     * @param memoriesExisting  memories already stored (reused)
     * @param graphItems        graph items added
     */
    public record Receipt(List<String> chats, long messages, long messagesExisting, long memories, long memoriesExisting,
                          long graphItems) {
        public Receipt {
            chats = List.copyOf(chats);
        }
    }

    /**
     * @param indexMessages {@code memory.enable_vector_instant_memory}: raw messages are indexed, as a store does
     */
    public MemoryImport(Storage storage, LuceneMemoryIndex index, GraphMemory graph, RecallCache cache,
                        boolean indexMessages) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.index = Objects.requireNonNull(index, "index");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.indexMessages = indexMessages;
    }

    /**
     * Reads the whole input, then imports it.
     *
     * @throws InvalidLineException when a line is malformed (nothing written)
     */
    public Receipt importLines(BufferedReader in) throws IOException {
        ImportRecords records = ImportRecords.read(in);
        Written w = storage.inTransaction(tx -> write(tx, records));
        // every message and memory of the file is (re-)indexed, reused ones too: a retry after a failed indexing
        // repairs it, and stored vectors are reused, so the model runs only for what has none
        if (indexMessages && !w.indexable().isEmpty()) {
            java.util.Set<Long> forgotten = storage.messages().forgottenAmong(w.indexable().stream().map(ChatMessage::id).toList());
            List<ChatMessage> memorable = new ArrayList<>();
            for (ChatMessage m : w.indexable()) if (!forgotten.contains(m.id())) memorable(m).ifPresent(memorable::add);
            index.indexMessages(memorable);
        }
        List<StoredMemory> current = storage.memories().findAll(w.memories()).stream()
                .filter(StoredMemory::current).toList();
        if (!current.isEmpty()) index.indexMemories(current);
        long items = records.exactGraph() ? restoreGraph(records, w.messageIds()) : rememberGraph(records, w.messageIds());
        List<String> chats = records.chats();
        chats.forEach(cache::purge);
        Receipt r = new Receipt(chats, w.added(), records.messages.size() - w.added(),
                w.newMemories(), records.memories.size() - w.newMemories(), items);
        audit.info("import receipt={}", r);
        return r;
    }

    /** A version 2 file: its concepts, items and links written back as they were; returns the items added. */
    private long restoreGraph(ImportRecords records, Map<Long, Long> messageIds) {
        List<GraphRestore.Item> items = new ArrayList<>(records.graphItems.size());
        for (ImportRecords.GraphItem g : records.graphItems) {
            items.add(new GraphRestore.Item(g.chatId(), g.concepts(), g.text(), provenance(g, messageIds), g.createdAt()));
        }
        List<GraphRestore.Edge> edges = records.graphEdges.stream()
                .map(e -> new GraphRestore.Edge(e.a(), e.b(), e.strength(), e.createdAt(), e.lastModified())).toList();
        return graph.restore(new GraphRestore(records.graphNodes, items, edges)).items();
    }

    /** A version 1 file (no links): each item remembered as a store does, its concepts linked pairwise. */
    private long rememberGraph(ImportRecords records, Map<Long, Long> messageIds) {
        long items = 0;
        for (ImportRecords.GraphItem g : records.graphItems) {
            List<Long> provenance = provenance(g, messageIds);
            for (int i = 0; i < g.concepts().size(); i += CONCEPTS_PER_WRITE) {
                items += graph.remember(g.chatId(), g.concepts().subList(i, Math.min(g.concepts().size(), i + CONCEPTS_PER_WRITE)),
                        g.text(), provenance, g.createdAt());
            }
        }
        return items;
    }

    private static List<Long> provenance(ImportRecords.GraphItem g, Map<Long, Long> messageIds) {
        return g.messageIds().stream().map(messageIds::get).filter(Objects::nonNull).toList();
    }

    /**
     * @param indexable   the file's messages as stored (added and reused), but not those it marks forgotten
     * @param memories    ids of the file's memories as stored (added and reused)
     * @param added       messages added
     * @param newMemories memories added
     */
    private record Written(Map<Long, Long> messageIds, List<ChatMessage> indexable, List<Long> memories, int added,
                           int newMemories) {
    }

    private static Written write(Storage tx, ImportRecords records) {
        Map<Long, Long> messageIds = new HashMap<>();
        List<ChatMessage> added = new ArrayList<>();
        int count = 0;
        for (ImportRecords.Message m : records.messages) {
            Optional<ChatMessage> same = m.externalId() != null ? Optional.empty() : sameMessage(tx, m);
            if (same.isPresent()) {
                messageIds.put(m.id(), same.get().id());
                added.add(same.get());
                continue;
            }
            Intake in = tx.messages().appendOnce(new NewMessage(m.chatId(), m.role(), m.speakerId(), m.speakerName(),
                    m.text(), m.createdAt().truncatedTo(ChronoUnit.MILLIS), m.externalId()));
            messageIds.put(m.id(), in.message().id());
            if (in.duplicate()) {
                added.add(in.message());
                continue;
            }
            count++;
            if (m.forgotten()) {
                tx.messages().markForgotten(List.of(in.message().id()));
                continue; // kept as a row, never indexed
            }
            added.add(in.message());
            for (int i = 0; i < m.memorizedTimes(); i++) tx.messages().incrementMemorized(List.of(in.message().id()));
        }
        Map<Long, Long> memoryIds = new HashMap<>();
        List<Long> all = new ArrayList<>();
        int inserted = 0;
        for (ImportRecords.Memory m : records.memories) {
            String hash = TextSimilarity.contentHash(m.text());
            long at = m.createdAt().toEpochMilli();
            Optional<StoredMemory> existing = tx.memories().findBySource(m.chatId(), sourceKey(hash, at))
                    .or(() -> tx.memories().findByHash(m.chatId(), hash)
                            .filter(s -> s.text().equals(m.text()) && s.createdAt().toEpochMilli() == at));
            if (existing.isPresent()) {
                memoryIds.put(m.id(), existing.get().id());
                all.add(existing.get().id());
                continue;
            }
            List<Long> provenance = m.messageIds().stream().map(messageIds::get).filter(Objects::nonNull).toList();
            List<Long> supersedes = m.supersedes().stream().map(memoryIds::get).filter(Objects::nonNull).toList();
            StoredMemory s = tx.memories().insert(new MemoryRepository.NewMemory(m.chatId(), m.text(), m.keywords(),
                    provenance, m.createdAt().truncatedTo(ChronoUnit.MILLIS), hash, sourceKey(hash, at),
                    MemoryTerms.of(m.text(), m.keywords())), supersedes);
            memoryIds.put(m.id(), s.id());
            all.add(s.id());
            inserted++;
            if (m.pinned()) tx.memories().setPinned(s.id(), true);
        }
        return new Written(messageIds, added, all, count, inserted);
    }

    /** A stored message without external id that has the same time, role, speaker and text. */
    private static Optional<ChatMessage> sameMessage(Storage tx, ImportRecords.Message m) {
        java.time.Instant at = m.createdAt().truncatedTo(ChronoUnit.MILLIS);
        return tx.messages().between(m.chatId(), at, at.plusMillis(1), 100).stream()
                .filter(s -> s.externalId() == null && s.role() == m.role() && Objects.equals(s.userId(), m.speakerId())
                        && s.text().equals(m.text()))
                .findFirst();
    }

    private static String sourceKey(String hash, long createdAtMillis) {
        return "import:" + hash + ":" + createdAtMillis;
    }

    /** The message as a store indexes it: a user message as it is, a bot reply without the offline template. */
    private static Optional<ChatMessage> memorable(ChatMessage m) {
        if (m.role() == ChatMessage.Role.USER) return Optional.of(m);
        String text = EchoFilter.memorable(m.text(), List.of());
        return text.isBlank() ? Optional.empty() : Optional.of(new ChatMessage(m.id(), m.chatId(), m.role(), m.userId(),
                m.userName(), text, m.createdAt(), m.memorizedTimes(), m.externalId()));
    }
}
