package dev.engram.memory.vector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import dev.engram.memory.ChatLocks;
import dev.engram.model.StoredMemory;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.Storage;

/**
 * Writes the pages of an index load (rebuild or catch-up): directly when opening blocks, else per chat under
 * the chat's lock and only what the database still holds, so a forget running meanwhile is never undone (forgetting
 * deletes from the index, then the database, under the same lock). Pages are made visible before the next one,
 * and committed durably once {@value #COMMIT_ITEMS} items have been written since the last commit of the load: a
 * process killed during a long rebuild or catch-up keeps what it loaded (the load's pinned {@link PendingMark}
 * makes the next open catch up from where this load started, skipping what the index already holds) instead of
 * starting again from nothing. Not thread-safe (the loading thread only).
 */
final class LoadSink implements IndexRebuilder.Sink {
    /** Items a load writes between two durable commits. */
    static final int COMMIT_ITEMS = 500;

    private final IndexRebuilder.Writer direct;
    private final NrtIndex nrt;
    private final Storage storage;
    private final ChatLocks locks;
    private int sinceCommit;

    /** @param locks the chats' locks, or {@code null} to write directly (the index is not serving yet) */
    LoadSink(IndexRebuilder.Writer direct, NrtIndex nrt, Storage storage, ChatLocks locks) {
        this.direct = direct;
        this.nrt = nrt;
        this.storage = storage;
        this.locks = locks;
    }

    @Override
    public ItemEmbeddings.Resolved write(List<IndexItem> items) throws IOException {
        ItemEmbeddings.Resolved r = writePage(items);
        sinceCommit += items.size();
        if (sinceCommit >= COMMIT_ITEMS) {
            nrt.commit();
            sinceCommit = 0;
        }
        return r;
    }

    private ItemEmbeddings.Resolved writePage(List<IndexItem> items) throws IOException {
        if (locks == null) return direct.write(items);
        Map<String, List<IndexItem>> byChat = new LinkedHashMap<>();
        for (IndexItem item : items) byChat.computeIfAbsent(item.chatId(), c -> new ArrayList<>()).add(item);
        int reused = 0;
        int computed = 0;
        long seq = 0;
        for (Map.Entry<String, List<IndexItem>> chat : byChat.entrySet()) {
            ItemEmbeddings.Resolved r = locks.callIo(chat.getKey(), () -> {
                List<IndexItem> stored = stillStored(chat.getValue());
                return stored.isEmpty() ? null : direct.write(stored);
            });
            if (r == null) continue;
            reused += r.reused();
            computed += r.computed();
            seq = Math.max(seq, r.seq());
        }
        if (seq > 0) nrt.awaitVisible(seq);
        return new ItemEmbeddings.Resolved(List.of(), reused, computed, seq);
    }

    /** Under the chat's lock, only for memories still current: a forget may have revived what they superseded. */
    @Override
    public void removeSuperseded(List<StoredMemory> superseding) throws IOException {
        if (locks == null) {
            delete(superseding);
            return;
        }
        Map<String, List<StoredMemory>> byChat = new LinkedHashMap<>();
        for (StoredMemory m : superseding) byChat.computeIfAbsent(m.chatId(), c -> new ArrayList<>()).add(m);
        for (Map.Entry<String, List<StoredMemory>> chat : byChat.entrySet()) {
            locks.callIo(chat.getKey(), () -> {
                delete(storage.memories().findAll(chat.getValue().stream().map(StoredMemory::id).toList()).stream()
                        .filter(StoredMemory::current).toList());
                return null;
            });
        }
    }

    private void delete(List<StoredMemory> superseding) throws IOException {
        Query[] keys = superseding.stream().flatMap(m -> m.supersedes().stream())
                .map(id -> (Query) new TermQuery(IndexFields.keyTerm(IndexItem.key(Kind.MEMORY, id))))
                .toArray(Query[]::new);
        if (keys.length > 0) nrt.delete(keys);
    }

    private List<IndexItem> stillStored(List<IndexItem> items) {
        List<Long> ids = items.stream().map(IndexItem::id).toList();
        Set<Long> alive = new HashSet<>();
        if (items.getFirst().kind() == Kind.MESSAGE) {
            storage.messages().findAll(ids).forEach(m -> alive.add(m.id()));
        } else {
            storage.memories().findAll(ids).stream().filter(StoredMemory::current).forEach(m -> alive.add(m.id()));
        }
        return items.stream().filter(i -> alive.contains(i.id())).toList();
    }
}
