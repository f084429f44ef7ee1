package dev.engram.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.engram.memory.vector.Embedder;

/**
 * The embedder of {@link IndexBench}: stored memories get synthesised vectors, everything else
 * (queries, live messages, the corpus sentences themselves) goes to the real model.
 *
 * <p>How the synthesised vectors are made, so the figures can be judged: every distinct corpus
 * sentence is embedded by the real model once; memory {@code i} combines its two sentences as
 * {@code normalise(0.75·a + 0.25·b + noise)} with Gaussian noise of norm about 0.15, seeded by
 * {@code i}. The 100,000 vectors therefore cluster around a few thousand real embeddings, in the
 * model's own space, instead of being uniform random points (which would be the hardest, least
 * realistic case for HNSW). Embedding 100,000 texts for real would take about 8 minutes on two
 * cores. Thread-safe after construction.
 */
final class IndexBenchEmbedder implements Embedder {
    private static final double NOISE_NORM = 0.15;

    private final Embedder model;
    private final IndexBenchCorpus corpus;
    private final List<float[]> sentenceVectors;
    private final Map<String, Integer> memoryByText;

    IndexBenchEmbedder(Embedder model, IndexBenchCorpus corpus, List<float[]> sentenceVectors) {
        this.model = model;
        this.corpus = corpus;
        this.sentenceVectors = List.copyOf(sentenceVectors);
        this.memoryByText = new HashMap<>(corpus.memoryCount() * 2);
        for (int i = 0; i < corpus.memoryCount(); i++) memoryByText.putIfAbsent(corpus.memoryText(i), i);
    }

    @Override
    public float[] embed(String text) {
        Integer memory = memoryByText.get(text);
        return memory != null ? synthesise(memory) : model.embed(text);
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        List<String> real = new ArrayList<>();
        List<Integer> realAt = new ArrayList<>();
        for (String t : texts) {
            Integer memory = memoryByText.get(t);
            if (memory == null) {
                realAt.add(out.size());
                real.add(t);
            }
            out.add(memory == null ? null : synthesise(memory));
        }
        if (!real.isEmpty()) {
            List<float[]> computed = model.embedAll(real);
            for (int j = 0; j < real.size(); j++) out.set(realAt.get(j), computed.get(j));
        }
        return out;
    }

    private float[] synthesise(int memory) {
        float[] a = sentenceVectors.get(corpus.firstSentence(memory));
        float[] b = sentenceVectors.get(corpus.secondSentence(memory));
        Random random = new Random(memory * 0x9E3779B97F4A7C15L);
        double sigma = NOISE_NORM / Math.sqrt(a.length);
        float[] v = new float[a.length];
        double norm = 0;
        for (int d = 0; d < v.length; d++) {
            v[d] = (float) (0.75 * a[d] + 0.25 * b[d] + sigma * random.nextGaussian());
            norm += (double) v[d] * v[d];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < v.length; d++) v[d] *= inv;
        return v;
    }

    @Override
    public int dimensions() {
        return model.dimensions();
    }

    @Override
    public String modelId() {
        return model.modelId();
    }
}
