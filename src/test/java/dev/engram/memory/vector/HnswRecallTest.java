package dev.engram.memory.vector;

import static dev.engram.memory.vector.IndexHarness.FAR;
import static dev.engram.memory.vector.IndexHarness.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.app.DefaultSettings;
import dev.engram.memory.Candidate;
import dev.engram.model.StoredMemory;

/** The HNSW search against an exact brute-force scan on seeded random vectors (recall@10). */
class HnswRecallTest {
    private static final int DIMS = 48;
    private static final int DOCS = 4_000;
    private static final int QUERIES = 100;

    @TempDir
    Path dir;

    @Test
    void hnsw_recall_at_10_against_brute_force_is_at_least_0_9() throws Exception {
        Random random = new Random(20);
        Map<String, float[]> table = new HashMap<>();
        List<StoredMemory> memories = new ArrayList<>();
        for (int i = 1; i <= DOCS; i++) {
            String text = "doc " + i;
            table.put(text, randomUnit(random));
            memories.add(new StoredMemory(i, "c1", text, List.of(), List.of(), NOW));
        }
        List<String> queries = new ArrayList<>();
        for (int q = 0; q < QUERIES; q++) {
            queries.add("query " + q);
            table.put("query " + q, randomUnit(random));
        }
        VectorSettings settings = DefaultSettings.vector().toBuilder().similarityThreshold(0)
                .exactSearchLimit(0).build(); // the graph, not the exact scan small chats get

        int found = 0;
        try (IndexHarness h = new IndexHarness(dir);
             LuceneMemoryIndex index = h.open(new TableEmbedder(table, DIMS), settings)) {
            for (int from = 0; from < DOCS; from += 500) index.indexMemories(memories.subList(from, from + 500));
            for (String q : queries) {
                List<String> exact = bruteForceTop10(table.get(q), memories, table);
                List<String> approx = index.vectorSource().search("c1", q, 10, FAR).stream().map(Candidate::key).toList();
                found += (int) approx.stream().filter(exact::contains).count();
            }
        }
        double recall = found / (double) (QUERIES * 10);
        assertThat(recall).as("recall@10 of HNSW against brute force").isGreaterThanOrEqualTo(0.9);
    }

    private static List<String> bruteForceTop10(float[] query, List<StoredMemory> docs, Map<String, float[]> table) {
        return docs.stream()
                .sorted(Comparator.comparingDouble((StoredMemory m) -> -Vectors.dot(query, table.get(m.text()))))
                .limit(10).map(m -> "i:" + m.id()).toList();
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIMS];
        IntStream.range(0, DIMS).forEach(i -> v[i] = (float) random.nextGaussian());
        return Vectors.normalized(v);
    }

    /** Looks vectors up in a table: the documents' and queries' vectors are chosen by the test. */
    private record TableEmbedder(Map<String, float[]> table, int dimensions) implements Embedder {
        @Override
        public float[] embed(String text) {
            return table.get(text);
        }

        @Override
        public List<float[]> embedAll(List<String> texts) {
            return texts.stream().map(table::get).toList();
        }

        @Override
        public String modelId() {
            return "table";
        }
    }
}
