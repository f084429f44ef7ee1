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

/**
 * The same memories written in another order and other segments (as an import or a rebuild writes them) recall the
 * same, in the same order: a small chat's vector recall is exact, and equal scores of both sources rank newer first,
 * then by id, not by where the documents sit in the index.
 */
class StableRecallOrderTest {
    private static final int DIMS = 32;
    private static final int DOCS = 3_000;
    private static final int QUERIES = 40;

    @TempDir
    Path dir;

    @Test
    void memories_written_in_another_order_recall_the_same_exact_nearest_neighbours() throws Exception {
        Random random = new Random(21);
        Map<String, float[]> table = new HashMap<>();
        List<StoredMemory> memories = new ArrayList<>();
        for (int i = 1; i <= DOCS; i++) {
            table.put("doc " + i, randomUnit(random));
            memories.add(new StoredMemory(i, "c1", "doc " + i, List.of(), List.of(), NOW.minusSeconds(i)));
        }
        List<String> queries = IntStream.range(0, QUERIES).mapToObj(q -> "query " + q).toList();
        queries.forEach(q -> table.put(q, randomUnit(random)));
        VectorSettings settings = DefaultSettings.vector().toBuilder().similarityThreshold(0).build();

        List<List<String>> forward = vectorRecall(dir.resolve("a"), table, memories, settings, queries);
        List<List<String>> backward = vectorRecall(dir.resolve("b"), table, memories.reversed(), settings, queries);

        assertThat(backward).isEqualTo(forward);
        for (int q = 0; q < QUERIES; q++) {
            float[] query = table.get(queries.get(q));
            List<String> exact = memories.stream()
                    .sorted(Comparator.comparingDouble((StoredMemory m) -> -Vectors.dot(query, table.get(m.text()))))
                    .limit(10).map(m -> "i:" + m.id()).toList();
            assertThat(forward.get(q)).as(queries.get(q)).isEqualTo(exact);
        }
    }

    @Test
    void equal_scores_rank_newer_first_then_by_id_whatever_the_order_of_writing() throws Exception {
        float[] same = randomUnit(new Random(3));
        Map<String, float[]> table = new HashMap<>();
        List<StoredMemory> memories = new ArrayList<>();
        // 30 memories with the same text (equal BM25 scores) and the same vector, 3 to a time: more than k tie
        for (int i = 1; i <= 30; i++) {
            memories.add(new StoredMemory(i, "c1", "zqalpha zqbeta", List.of(), List.of(), NOW.minusSeconds(i / 3)));
        }
        table.put("zqalpha zqbeta", same);
        table.put("zqalpha", same);
        VectorSettings settings = DefaultSettings.vector().toBuilder().similarityThreshold(0).build();
        List<String> expected = memories.stream()
                .sorted(Comparator.comparing(StoredMemory::createdAt).reversed().thenComparingLong(StoredMemory::id))
                .limit(10).map(m -> "i:" + m.id()).toList();

        for (String order : List.of("forward", "backward")) {
            List<StoredMemory> written = order.equals("forward") ? memories : memories.reversed();
            try (IndexHarness h = new IndexHarness(dir.resolve(order));
                 LuceneMemoryIndex index = h.open(new TableEmbedder(table, DIMS), settings)) {
                for (int from = 0; from < written.size(); from += 7) {
                    index.indexMemories(written.subList(from, Math.min(written.size(), from + 7)));
                }
                assertThat(keys(index.lexicalSource().search("c1", "zqalpha", 10, FAR))).as(order).isEqualTo(expected);
                assertThat(keys(index.vectorSource().search("c1", "zqalpha", 10, FAR))).as(order).isEqualTo(expected);
            }
        }
    }

    @Test
    void superseded_memories_still_in_the_index_files_do_not_change_bm25_scores() throws Exception {
        List<StoredMemory> kept = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            kept.add(new StoredMemory(i, "c1", HashingWords.sentence(i), List.of(), List.of(), NOW.minusSeconds(i)));
        }
        List<String> queries = List.of(HashingWords.sentence(3), HashingWords.sentence(17), "zqa zqb zqc zqd");
        VectorSettings settings = DefaultSettings.vector().toBuilder().similarityThreshold(0).build();
        List<List<Candidate>> fresh = new ArrayList<>();
        try (IndexHarness h = new IndexHarness(dir.resolve("fresh"));
             LuceneMemoryIndex index = h.open(new HashingEmbedder(), settings)) {
            index.indexMemories(kept);
            for (String q : queries) fresh.add(index.lexicalSource().search("c1", q, 10, FAR));
        }
        try (IndexHarness h = new IndexHarness(dir.resolve("edited"));
             LuceneMemoryIndex index = h.open(new HashingEmbedder(), settings)) {
            // ten long memories, written with the others and then superseded by one of them: deleted, not merged away
            List<StoredMemory> old = IntStream.rangeClosed(101, 110).mapToObj(i -> new StoredMemory(i, "c1",
                    HashingWords.sentence(i) + " " + HashingWords.sentence(i + 1) + " " + HashingWords.sentence(3),
                    List.of(), List.of(), NOW.minusSeconds(i))).toList();
            List<StoredMemory> all = new ArrayList<>(kept.subList(0, 39));
            all.addAll(old);
            index.indexMemories(all);
            StoredMemory last = kept.get(39);
            index.indexMemories(List.of(new StoredMemory(last.id(), last.chatId(), last.text(), List.of(), List.of(),
                    last.createdAt(), null, null, old.stream().map(StoredMemory::id).toList())));
            for (int q = 0; q < queries.size(); q++) {
                assertThat(index.lexicalSource().search("c1", queries.get(q), 10, FAR)).as(queries.get(q))
                        .isEqualTo(fresh.get(q));
            }
        }
    }

    @Test
    void the_order_of_keys_is_by_kind_then_numeric_id() {
        assertThat(List.of("m:10", "i:3", "m:9", "i:20", "g:x").stream().sorted(Candidate::compareKeys).toList())
                .containsExactly("g:x", "i:3", "i:20", "m:9", "m:10");
    }

    private List<List<String>> vectorRecall(Path data, Map<String, float[]> table, List<StoredMemory> memories,
                                            VectorSettings settings, List<String> queries) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (IndexHarness h = new IndexHarness(data);
             LuceneMemoryIndex index = h.open(new TableEmbedder(table, DIMS), settings)) {
            for (int from = 0; from < memories.size(); from += 250) index.indexMemories(memories.subList(from, from + 250));
            for (String q : queries) out.add(keys(index.vectorSource().search("c1", q, 10, FAR)));
        }
        return out;
    }

    /** Sentences of a few made-up words that overlap between neighbouring numbers. */
    private static final class HashingWords {
        static String sentence(int i) {
            return IndexHarness.word(i % 13) + " " + IndexHarness.word(i % 7 + 20) + " " + IndexHarness.word(i % 5 + 40)
                    + " " + IndexHarness.word(i);
        }
    }

    private static List<String> keys(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::key).toList();
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
