package dev.engram.memory.vector;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

import dev.engram.memory.ChatLocks;
import dev.engram.model.ChatMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.Storage;

/**
 * Applies other instances' changes to the local index, per chat under the chat's lock (as {@link LoadSink}): each
 * item is brought to what the database holds now, so applying a change twice, late or out of order is harmless.
 * A message kept and not forgotten, or a current memory, is (re-)indexed with its stored vector; a deleted or
 * forgotten one is removed and the index files are rewritten (its text leaves them, as a local forget does); a
 * superseded memory, and what a current one supersedes, is removed. Thread-safe (stateless; the index's writer is).
 */
final class FeedWriter {
    private final IndexRebuilder.Writer writer;
    private final NrtIndex nrt;
    private final Storage storage;
    private final String modelId;

    FeedWriter(IndexRebuilder.Writer writer, NrtIndex nrt, Storage storage, String modelId) {
        this.writer = writer;
        this.nrt = nrt;
        this.storage = storage;
        this.modelId = modelId;
    }

    FollowResult apply(List<FeedItem> items, ChatLocks locks) throws IOException {
        Map<String, List<FeedItem>> byChat = new LinkedHashMap<>();
        for (FeedItem item : items) byChat.computeIfAbsent(item.chatId(), c -> new ArrayList<>()).add(item);
        FollowResult total = FollowResult.NONE;
        long seq = 0;
        boolean expunge = false;
        for (Map.Entry<String, List<FeedItem>> chat : byChat.entrySet()) {
            Applied a = locks.callIo(chat.getKey(), () -> applyChat(chat.getKey(), chat.getValue()));
            total = total.plus(a.result());
            seq = Math.max(seq, a.seq());
            expunge |= a.expunge();
        }
        if (seq > 0) nrt.awaitVisible(seq);
        if (expunge) nrt.expungeDeletes();
        return total;
    }

    private record Applied(FollowResult result, long seq, boolean expunge) {
    }

    private Applied applyChat(String chatId, List<FeedItem> items) throws IOException {
        Map<Kind, Map<Long, Boolean>> wanted = new HashMap<>(); // id -> may compute
        for (FeedItem i : items) wanted.computeIfAbsent(i.kind(), k -> new LinkedHashMap<>()).merge(i.id(), i.embedded(), Boolean::logicalOr);
        List<IndexItem> candidates = new ArrayList<>();
        List<String> doomed = new ArrayList<>();
        boolean forgotten = false;

        Map<Long, Boolean> messageIds = wanted.getOrDefault(Kind.MESSAGE, Map.of());
        if (!messageIds.isEmpty()) {
            Map<Long, ChatMessage> kept = new HashMap<>();
            storage.messages().findRemembered(List.copyOf(messageIds.keySet())).forEach(m -> kept.put(m.id(), m));
            for (long id : messageIds.keySet()) {
                ChatMessage m = kept.get(id);
                Optional<ChatMessage> memorable = m == null || !m.chatId().equals(chatId) ? Optional.empty()
                        : IndexRebuilder.memorable(m);
                if (memorable.isPresent()) {
                    candidates.add(IndexItem.of(memorable.get()));
                } else {
                    doomed.add(IndexItem.key(Kind.MESSAGE, id));
                    forgotten |= m == null;
                }
            }
        }
        Map<Long, Boolean> memoryIds = wanted.getOrDefault(Kind.MEMORY, Map.of());
        if (!memoryIds.isEmpty()) {
            Map<Long, StoredMemory> rows = new HashMap<>();
            storage.memories().findAll(List.copyOf(memoryIds.keySet())).forEach(m -> rows.put(m.id(), m));
            for (long id : memoryIds.keySet()) {
                StoredMemory m = rows.get(id);
                if (m != null && m.chatId().equals(chatId) && m.current()) {
                    candidates.add(IndexItem.of(m));
                    m.supersedes().forEach(old -> doomed.add(IndexItem.key(Kind.MEMORY, old)));
                } else {
                    doomed.add(IndexItem.key(Kind.MEMORY, id));
                    forgotten |= m == null;
                }
            }
        }

        int removed = 0;
        long seq = 0;
        if (!doomed.isEmpty()) {
            for (String key : doomed) if (nrt.contains(key)) removed++;
            seq = nrt.delete(doomed.stream().map(k -> (Query) new TermQuery(IndexFields.keyTerm(k))).toArray(Query[]::new));
        }
        List<IndexItem> ready = new ArrayList<>();
        int waiting = 0;
        Map<Kind, Set<Long>> stored = new HashMap<>();
        for (Kind kind : Kind.values()) {
            List<Long> ids = candidates.stream().filter(c -> c.kind() == kind).map(IndexItem::id).toList();
            if (!ids.isEmpty()) stored.put(kind, storage.embeddings().find(kind, ids, modelId).keySet());
        }
        for (IndexItem c : candidates) {
            if (stored.get(c.kind()).contains(c.id()) || wanted.get(c.kind()).get(c.id())) ready.add(c);
            else waiting++;
        }
        int reused = 0;
        int computed = 0;
        if (!ready.isEmpty()) {
            ItemEmbeddings.Resolved r = writer.write(ready);
            reused = r.reused();
            computed = r.computed();
            seq = Math.max(seq, r.seq());
        }
        return new Applied(new FollowResult(ready.size(), removed, waiting, reused, computed), seq,
                forgotten && removed > 0);
    }
}
