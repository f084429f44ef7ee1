package dev.engram.memory.manage;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.memory.ChatLocks;
import dev.engram.memory.MemoryIndexWriter;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.instant.MemoryTerms;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.MemoryRepository;
import dev.engram.store.Storage;
import dev.engram.task.QueuedStores;
import dev.engram.text.TextSimilarity;

/**
 * What users do with their memory: browse it, see where a memory came from and what it replaced, correct it,
 * delete it, and make Engram forget a speaker or a whole chat. A deletion reaches every copy — message log,
 * memories and their terms, stored vectors, search-index documents, graph items (and concepts left without
 * items), queued outbox rows (of a forgotten chat, or the stores of a forgotten speaker's messages), cached
 * recalls — and is logged as one audit line; the database and index files are then rewritten so no deleted
 * bytes stay in them ({@link Storage#scrub}). Forgetting a speaker also takes what quotes one of their messages
 * verbatim: bot replies, and memories or graph items written from a window that held their lines. With
 * {@code forget_keeps_messages} the message rows stay, marked forgotten, and everything remembered of them goes
 * as above. A pinned memory is still deleted by a user's deletion or forgetting; pins only keep it through
 * maintenance ({@link #pin}).
 *
 * <p>Each change to a chat runs under that chat's {@link ChatLocks lock}, which its store tasks hold too: a store
 * either finished before the deletion (and what it wrote is deleted) or starts after it (and finds its messages
 * gone, so it writes nothing). Deletions go index first, database last, so a crash half-way leaves the data
 * findable in the database, where a repeated request removes it. Thread-safe.
 */
public final class MemoryAdmin {
    private static final Logger log = LoggerFactory.getLogger(MemoryAdmin.class);
    private static final Logger audit = LoggerFactory.getLogger("dev.engram.audit");
    private static final int SCAN_BATCH = 500;
    /**
     * Shortest message whose verbatim quote elsewhere (a bot reply, a memory or graph item written from a window
     * of several speakers' lines) makes that text the speaker's too.
     */
    private static final int MIN_QUOTE_LENGTH = 4;

    private final Storage storage;
    private final LuceneMemoryIndex index;
    private final GraphMemory graph;
    private final MemoryIndexWriter writer;
    private final RecallCache cache;
    private final ChatLocks locks;
    private final Clock clock;
    private final boolean keepMessages;
    private final QueuedStores queuedStores = new QueuedStores();

    /** One chat of the log, with what Engram remembers of it. */
    public record ChatOverview(String chatId, long messages, long memories, Instant lastMessageAt) {
    }

    /** A page of memories, newest first; {@code nextBefore} continues it ({@code null}: no more). */
    public record Page(List<MemoryEntry> memories, Long nextBefore) {
    }

    /** One memory with the messages it came from and its history (oldest first, itself included). */
    public record Detail(MemoryEntry memory, List<ChatMessage> provenance, List<MemoryEntry> history) {
    }

    /**
     * @param writer       the index writers a store uses (search index and graph), for an edited memory
     * @param keepMessages {@code memory.forget_keeps_messages}: forgetting keeps the message rows, marked so nothing
     *                     memorises, indexes or samples them again
     */
    public MemoryAdmin(Storage storage, LuceneMemoryIndex index, GraphMemory graph, MemoryIndexWriter writer,
                       RecallCache cache, ChatLocks locks, Clock clock, boolean keepMessages) {
        this.keepMessages = keepMessages;
        this.storage = Objects.requireNonNull(storage, "storage");
        this.index = Objects.requireNonNull(index, "index");
        this.graph = Objects.requireNonNull(graph, "graph");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The chats, newest activity first. */
    public List<ChatOverview> chats(int limit) {
        return storage.messages().chats(limit).stream()
                .map(c -> new ChatOverview(c.chatId(), c.messages(), storage.memories().countByChat(c.chatId()),
                        c.lastMessageAt()))
                .toList();
    }

    /** A chat's memories that pass {@code filter}, newest first, below {@code beforeId} ({@code null}: all). */
    public Page list(String chatId, MemoryFilter filter, Long beforeId, int limit) {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        List<MemoryEntry> out = new ArrayList<>();
        Long cursor = beforeId;
        while (out.size() < limit) {
            List<StoredMemory> batch = storage.memories().page(chatId, cursor, SCAN_BATCH);
            if (batch.isEmpty()) return new Page(out, null);
            for (MemoryEntry e : entries(batch)) {
                if (!filter.accepts(e)) continue;
                out.add(e);
                if (out.size() == limit) return new Page(out, e.memory().id());
            }
            cursor = batch.getLast().id();
        }
        return new Page(out, null);
    }

    /** One memory with its provenance and history, if it exists. */
    public Optional<Detail> show(long id) {
        Optional<StoredMemory> found = storage.memories().find(id);
        if (found.isEmpty()) return Optional.empty();
        StoredMemory m = found.get();
        List<ChatMessage> provenance = storage.messages().findAll(m.messageIds());
        return Optional.of(new Detail(entries(List.of(m)).getFirst(), provenance, entries(history(m))));
    }

    /**
     * Corrects a memory: a new current memory with {@code text} (same chat and provenance, re-embedded and
     * indexed) supersedes it, so the old text stays as history.
     *
     * @throws java.util.NoSuchElementException when there is no such memory
     * @throws IllegalStateException            when it was already superseded (edit its newest version)
     */
    public MemoryEntry edit(long id, String text) throws Exception {
        StoredMemory old = storage.memories().find(id).orElseThrow(() -> new java.util.NoSuchElementException("memory " + id));
        String clean = text.strip();
        return locks.call(old.chatId(), () -> {
            StoredMemory current = storage.memories().find(id).orElseThrow(() -> new java.util.NoSuchElementException("memory " + id));
            if (!current.current()) {
                throw new IllegalStateException("memory " + id + " was superseded by " + current.supersededBy()
                        + "; edit the newest version");
            }
            String hash = TextSimilarity.contentHash(clean);
            StoredMemory edited = storage.memories().insert(new MemoryRepository.NewMemory(current.chatId(), clean,
                    List.of(), current.messageIds(), clock.instant(), hash, "edit:" + id + ":" + hash,
                    MemoryTerms.of(clean, List.of())), List.of(id));
            if (storage.memories().pinnedAmong(List.of(id)).contains(id)) storage.memories().setPinned(edited.id(), true);
            writer.indexMemory(edited); // the index drops the superseded text; the graph learns the new one
            graph.forget(current.chatId(), List.of(current.text()));
            cache.purge(current.chatId());
            audit.info("edit memory={} chat={} new={}", id, current.chatId(), edited.id());
            return entries(List.of(edited)).getFirst();
        });
    }

    /**
     * Pins or unpins a memory: index retention, graph forgetting and consolidation skip a pinned memory, so it stays
     * in recall (a user's deletion or forgetting still removes it). Pinning a current memory that retention or
     * forgetting had already dropped puts it back into the index and the graph (with its stored vector when there
     * is one). An edit keeps the pin on the new version. Runs under the chat's lock, so a pin racing a deletion
     * never brings the deleted memory back.
     *
     * @return the memory as it is now, or empty when there is no such memory
     */
    public Optional<MemoryEntry> pin(long id, boolean pinned) throws Exception {
        Optional<StoredMemory> found = storage.memories().find(id);
        if (found.isEmpty()) return Optional.empty();
        String chatId = found.get().chatId();
        Optional<StoredMemory> now = locks.call(chatId, () -> {
            Optional<StoredMemory> m = storage.memories().find(id);
            if (m.isEmpty() || !storage.memories().setPinned(id, pinned)) return Optional.<StoredMemory>empty();
            if (pinned && m.get().current()) {
                writer.indexMemory(m.get());
                cache.purge(chatId);
            }
            return m;
        });
        if (now.isEmpty()) return Optional.empty();
        audit.info("{} memory={} chat={}", pinned ? "pin" : "unpin", id, chatId);
        return Optional.of(entries(List.of(now.get())).getFirst());
    }

    /**
     * Deletes one memory everywhere. A fact it had superseded becomes current again (and searchable).
     *
     * @return the receipt, or empty when there is no such memory
     */
    public Optional<ForgetReceipt> delete(long id) throws Exception {
        Optional<StoredMemory> found = storage.memories().find(id);
        if (found.isEmpty()) return Optional.empty();
        String chatId = found.get().chatId();
        ForgetReceipt receipt = locks.call(chatId, () -> {
            Optional<StoredMemory> m = storage.memories().find(id);
            if (m.isEmpty()) return ForgetReceipt.empty();
            long vectors = storage.embeddings().delete(Kind.MEMORY, List.of(id));
            long docs = index.delete(Kind.MEMORY, List.of(id));
            int items = graph.forget(chatId, List.of(m.get().text()));
            int rows = storage.memories().delete(List.of(id));
            List<StoredMemory> revived = storage.memories().findAll(m.get().supersedes()).stream()
                    .filter(StoredMemory::current).toList();
            if (!revived.isEmpty()) index.indexMemories(revived);
            int cached = cache.purge(chatId);
            storage.scrub();
            return new ForgetReceipt(List.of(chatId), 0, 0, rows, vectors, docs, items, 0, 0, 0, cached);
        });
        audit.info("delete memory={} chat={} receipt={}", id, chatId, receipt);
        return Optional.of(receipt);
    }

    /** Forgets everything a user said in one chat ({@code chatId}) or in every chat ({@code chatId == null}). */
    public ForgetReceipt forgetSpeaker(String chatId, String userId) throws Exception {
        Objects.requireNonNull(userId, "userId");
        List<String> chats = chatId == null ? storage.messages().chatsOf(userId) : List.of(chatId);
        ForgetReceipt total = ForgetReceipt.empty();
        for (String chat : chats) total = total.plus(locks.call(chat, () -> forget(chat, userId)));
        storage.scrub();
        audit.info("forget speaker={} scope={} receipt={}", userId, chatId == null ? "everywhere" : chatId, total);
        return total;
    }

    /** Forgets a whole chat: its messages, memories, vectors, index documents, graph items and queued tasks. */
    public ForgetReceipt forgetChat(String chatId) throws Exception {
        Objects.requireNonNull(chatId, "chatId");
        ForgetReceipt receipt = locks.call(chatId, () -> forget(chatId, null));
        storage.scrub();
        audit.info("forget chat={} receipt={}", chatId, receipt);
        return receipt;
    }

    /** Under the chat's lock: one chat, one speaker ({@code userId}) or everyone ({@code null}). */
    private ForgetReceipt forget(String chatId, String userId) throws IOException {
        boolean wholeChat = userId == null;
        List<Long> messageIds = new ArrayList<>(wholeChat ? storage.messages().idsOfChat(chatId)
                : storage.messages().idsOf(chatId, userId));
        Set<String> said = wholeChat ? Set.of() : quotable(messageIds);
        if (!wholeChat) messageIds.addAll(quoting(chatId, messageIds, said));
        Set<Long> messageSet = new HashSet<>(messageIds);
        List<Long> memoryIds = new ArrayList<>();
        Set<Long> superseded = new HashSet<>(); // by a doomed memory: current again once it is gone
        for (Long cursor = null; ; ) {
            List<StoredMemory> batch = storage.memories().page(chatId, cursor, SCAN_BATCH);
            if (batch.isEmpty()) break;
            for (StoredMemory m : batch) {
                if (wholeChat || m.messageIds().stream().anyMatch(messageSet::contains) || quotes(m.text(), said)) {
                    memoryIds.add(m.id());
                    superseded.addAll(m.supersedes());
                }
            }
            cursor = batch.getLast().id();
        }
        memoryIds.forEach(superseded::remove);
        long vectors = storage.embeddings().delete(Kind.MESSAGE, messageIds) + storage.embeddings().delete(Kind.MEMORY, memoryIds);
        long docs = index.delete(Kind.MESSAGE, messageIds) + index.delete(Kind.MEMORY, memoryIds);
        if (wholeChat) docs += index.deleteChat(chatId);
        GraphMemory.Forgotten g = graph.forgetMessages(chatId, messageSet, said, wholeChat);
        record Rows(int memories, int messages, int kept, int tasks) {
        }
        Rows rows = storage.inTransaction(tx -> new Rows(tx.memories().delete(memoryIds),
                keepMessages ? 0 : tx.messages().delete(messageIds), keepMessages ? tx.messages().markForgotten(messageIds) : 0,
                wholeChat ? tx.outbox().removeChat(chatId) : dropQueuedStores(tx, chatId, messageSet, said)));
        List<StoredMemory> revived = storage.memories().findAll(superseded).stream().filter(StoredMemory::current).toList();
        if (!revived.isEmpty()) index.indexMemories(revived);
        int cached = cache.purge(chatId);
        log.debug("forgot chat={} user={}: {} messages, {} memories", chatId, userId, rows.messages(), rows.memories());
        return new ForgetReceipt(List.of(chatId), rows.messages(), rows.kept(), rows.memories(), vectors, docs, g.items(), g.nodes(),
                g.edges(), rows.tasks(), cached);
    }

    /**
     * Removes the chat's queued (and dead-lettered) store tasks of forgotten messages, and those without
     * messages whose content quotes the speaker: run, they would store nothing (or what was just forgotten),
     * but until then their outbox rows hold the text. A store still in the engine's memory runs and finds its
     * messages gone. Returns how many rows went.
     */
    private int dropQueuedStores(Storage tx, String chatId, Set<Long> forgotten, Set<String> said) {
        List<String> doomed = queuedStores.matching(tx.outbox().listChat(chatId),
                s -> s.messageIds().isEmpty() ? quotes(s.content(), said) : forgotten.containsAll(s.messageIds()));
        tx.outbox().removeAll(doomed);
        return doomed.size();
    }

    /** The speaker's message texts long enough that a verbatim quote of one elsewhere is theirs. */
    private Set<String> quotable(List<Long> speakerMessages) {
        Set<String> said = new HashSet<>();
        for (ChatMessage m : storage.messages().findAll(speakerMessages)) {
            String t = m.text().strip();
            if (t.length() >= MIN_QUOTE_LENGTH) said.add(t);
        }
        return said;
    }

    private static boolean quotes(String text, Set<String> said) {
        for (String s : said) if (text.contains(s)) return true;
        return false;
    }

    /**
     * Bot replies of the chat that quote one of the speaker's messages verbatim (a template or model reply
     * restating what the speaker said): forgetting the speaker removes them too. A paraphrase is not recognised.
     */
    private List<Long> quoting(String chatId, List<Long> speakerMessages, Set<String> said) {
        if (said.isEmpty()) return List.of();
        Set<Long> own = new HashSet<>(speakerMessages);
        List<Long> all = storage.messages().idsOfChat(chatId);
        List<Long> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += SCAN_BATCH) {
            for (ChatMessage m : storage.messages().findAll(all.subList(from, Math.min(all.size(), from + SCAN_BATCH)))) {
                if (m.role() == ChatMessage.Role.ASSISTANT && !own.contains(m.id()) && quotes(m.text(), said)) out.add(m.id());
            }
        }
        return out;
    }

    /** The memory's whole chain, oldest first: what it superseded (transitively) and what superseded it. */
    private List<StoredMemory> history(StoredMemory m) {
        Deque<StoredMemory> chain = new ArrayDeque<>();
        chain.add(m);
        Set<Long> seen = new HashSet<>(Set.of(m.id()));
        for (StoredMemory older = m; !older.supersedes().isEmpty(); ) {
            List<StoredMemory> prev = storage.memories().findAll(older.supersedes());
            prev = prev.stream().filter(p -> seen.add(p.id())).toList();
            if (prev.isEmpty()) break;
            for (StoredMemory p : prev.reversed()) chain.addFirst(p);
            older = prev.getFirst();
        }
        for (StoredMemory newer = m; newer.supersededBy() != null; ) {
            Optional<StoredMemory> next = storage.memories().find(newer.supersededBy());
            if (next.isEmpty() || !seen.add(next.get().id())) break;
            chain.addLast(next.get());
            newer = next.get();
        }
        return List.copyOf(chain);
    }

    /** Entries for memories, their speakers read from their provenance in one query. */
    private List<MemoryEntry> entries(List<StoredMemory> memories) {
        Set<Long> ids = new HashSet<>();
        for (StoredMemory m : memories) ids.addAll(m.messageIds());
        Map<Long, ChatMessage> byId = new HashMap<>();
        for (ChatMessage msg : storage.messages().findAll(ids)) byId.put(msg.id(), msg);
        Set<Long> pinned = storage.memories().pinnedAmong(memories.stream().map(StoredMemory::id).toList());
        List<MemoryEntry> out = new ArrayList<>(memories.size());
        for (StoredMemory m : memories) {
            ChatMessage speaker = m.messageIds().stream().map(byId::get).filter(Objects::nonNull)
                    .filter(msg -> msg.role() == ChatMessage.Role.USER).findFirst().orElse(null);
            out.add(new MemoryEntry(m, speaker == null ? null : speaker.userId(), speaker == null ? null : speaker.userName(),
                    m.messageIds().isEmpty() ? MemoryEntry.MANUAL : MemoryEntry.INSTANT, pinned.contains(m.id())));
        }
        return out;
    }
}
