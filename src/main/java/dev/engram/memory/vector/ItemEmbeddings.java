package dev.engram.memory.vector;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.engram.store.EmbeddingRepository;
import dev.engram.store.EmbeddingRepository.Embedding;
import dev.engram.store.EmbeddingRepository.Kind;

/**
 * Finds the vector of each item: the stored one when the database has it for the current model, else the
 * one a recall query of the same text has (a user message is recalled for before it is stored, and its text
 * is both the query and what is embedded), otherwise computed by the model; new vectors are stored before
 * they are returned. Thread-safe (stateless apart from its thread-safe collaborators).
 */
final class ItemEmbeddings {
    private final Embedder embedder;
    private final EmbeddingRepository repository;
    private final EmbeddingBatcher batcher;
    private final QueryEmbeddingCache queries;

    ItemEmbeddings(Embedder embedder, EmbeddingRepository repository, QueryEmbeddingCache queries, int maxBatch) {
        this.embedder = embedder;
        this.repository = repository;
        this.queries = queries;
        this.batcher = new EmbeddingBatcher(embedder, maxBatch);
    }

    /**
     * Vectors aligned with the items, how many were reused or computed, and (once written) the
     * index sequence number of the write.
     */
    record Resolved(List<float[]> vectors, int reused, int computed, long seq) {
        Resolved withSeq(long writeSeq) {
            return new Resolved(vectors, reused, computed, writeSeq);
        }
    }

    /**
     * @param batched true on the live write path: concurrent writers' texts share model calls;
     *                false for bulk work (rebuild), which already hands over whole pages
     */
    Resolved resolve(List<IndexItem> items, boolean batched) {
        Map<Kind, List<Long>> idsByKind = new EnumMap<>(Kind.class);
        for (IndexItem item : items) idsByKind.computeIfAbsent(item.kind(), k -> new ArrayList<>()).add(item.id());
        Map<Kind, Map<Long, float[]>> stored = new EnumMap<>(Kind.class);
        idsByKind.forEach((kind, ids) -> stored.put(kind, repository.find(kind, ids, embedder.modelId())));

        float[][] vectors = new float[items.size()][];
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            IndexItem item = items.get(i);
            float[] v = stored.get(item.kind()).get(item.id());
            if (v != null && v.length == embedder.dimensions()) vectors[i] = v;
            else missing.add(i);
        }
        if (!missing.isEmpty()) {
            float[][] fromQueries = new float[missing.size()][];
            List<String> texts = new ArrayList<>(missing.size());
            for (int j = 0; j < missing.size(); j++) {
                String text = items.get(missing.get(j)).embedText();
                fromQueries[j] = queries.ifPresent(text).filter(v -> v.length == embedder.dimensions()).orElse(null);
                if (fromQueries[j] == null) texts.add(text);
            }
            List<float[]> model = texts.isEmpty() ? List.of() : batched ? batcher.embedAll(texts) : embedder.embedAll(texts);
            List<Embedding> rows = new ArrayList<>(missing.size());
            for (int j = 0, m = 0; j < missing.size(); j++) {
                float[] v = fromQueries[j] != null ? fromQueries[j].clone() : model.get(m++);
                if (v.length != embedder.dimensions()) {
                    throw new IllegalStateException("embedder " + embedder.modelId() + " returned " + v.length
                            + " dimensions, expected " + embedder.dimensions());
                }
                IndexItem item = items.get(missing.get(j));
                vectors[missing.get(j)] = v;
                rows.add(new Embedding(item.kind(), item.id(), item.chatId(), embedder.modelId(), v, item.createdAt()));
            }
            repository.saveAll(rows);
        }
        return new Resolved(List.of(vectors), items.size() - missing.size(), missing.size(), 0);
    }
}
