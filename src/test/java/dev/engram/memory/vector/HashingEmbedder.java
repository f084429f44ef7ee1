package dev.engram.memory.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast, deterministic in-process embedder for tests: hashes character unigrams and bigrams into
 * {@code dims} buckets and normalises, so texts sharing characters are similar. Counts the texts it
 * embeds, so tests can assert that stored vectors were reused. Thread-safe.
 */
public class HashingEmbedder implements Embedder {
    private final String modelId;
    private final int dims;
    private final AtomicInteger embedded = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();

    public HashingEmbedder(String modelId, int dims) {
        this.modelId = modelId;
        this.dims = dims;
    }

    public HashingEmbedder() {
        this("hashing-v1", 64);
    }

    @Override
    public float[] embed(String text) {
        calls.incrementAndGet();
        embedded.incrementAndGet();
        return vector(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        calls.incrementAndGet();
        embedded.addAndGet(texts.size());
        List<float[]> out = new ArrayList<>(texts.size());
        for (String t : texts) out.add(vector(t));
        return out;
    }

    private float[] vector(String text) {
        float[] v = new float[dims];
        String s = text.toLowerCase();
        for (int i = 0; i < s.length(); i++) {
            v[Math.floorMod(s.charAt(i) * 31, dims)] += 1;
            if (i + 1 < s.length()) v[Math.floorMod(s.substring(i, i + 2).hashCode(), dims)] += 1;
        }
        return Vectors.normalized(v);
    }

    /** Texts embedded so far. */
    public int embedded() {
        return embedded.get();
    }

    /** Calls to embed or embedAll so far. */
    int calls() {
        return calls.get();
    }

    @Override
    public int dimensions() {
        return dims;
    }

    @Override
    public String modelId() {
        return modelId;
    }
}
