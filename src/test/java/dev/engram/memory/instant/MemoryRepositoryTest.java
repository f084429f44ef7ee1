package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;
import dev.engram.store.MemoryRepository;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

class MemoryRepositoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;
    Storage storage;
    MemoryRepository memories;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
        memories = storage.memories();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static NewMemory memory(String chat, String text, Instant at, String source, String... terms) {
        return new NewMemory(chat, text, List.of(terms), List.of(1L, 2L), at, TextSimilarity.contentHash(text), source,
                Set.of(terms));
    }

    @Test
    void insert_returns_the_stored_memory_with_json_fields_intact() {
        StoredMemory m = memories.insert(memory("c1", "小林对花生过敏", T0, "m:1", "花生", "过敏"));

        assertThat(memories.find(m.id())).contains(m);
        assertThat(m.keywords()).containsExactly("花生", "过敏");
        assertThat(m.messageIds()).containsExactly(1L, 2L);
        assertThat(memories.count()).isEqualTo(1);
        assertThat(memories.countByChat("c1")).isEqualTo(1);
    }

    @Test
    void insert_is_idempotent_per_chat_and_source_key() {
        StoredMemory first = memories.insert(memory("c1", "小林对花生过敏", T0, "m:1", "花生"));
        StoredMemory again = memories.insert(memory("c1", "另一种说法", T0, "m:1", "花生"));
        StoredMemory otherChat = memories.insert(memory("c2", "小林对花生过敏", T0, "m:1", "花生"));
        memories.insert(memory("c1", "无来源一", T0, null));
        memories.insert(memory("c1", "无来源二", T0, null));

        assertThat(again).isEqualTo(first);
        assertThat(otherChat.id()).isNotEqualTo(first.id());
        assertThat(memories.findBySource("c1", "m:1")).contains(first);
        assertThat(memories.countByChat("c1")).isEqualTo(3);
    }

    @Test
    void finds_by_hash_within_one_chat_only() {
        StoredMemory m = memories.insert(memory("c1", "Nadia works nights.", T0, "a"));

        assertThat(memories.findByHash("c1", TextSimilarity.contentHash("nadia works NIGHTS"))).contains(m);
        assertThat(memories.findByHash("c2", TextSimilarity.contentHash("nadia works nights"))).isEmpty();
    }

    @Test
    void by_chat_is_newest_first_within_the_time_range() {
        memories.insert(memory("c1", "a", T0, "1"));
        memories.insert(memory("c1", "b", T0.plusSeconds(60), "2"));
        memories.insert(memory("c1", "c", T0.plusSeconds(120), "3"));
        memories.insert(memory("c2", "x", T0.plusSeconds(60), "4"));

        assertThat(memories.byChat("c1", T0, T0.plusSeconds(121), 10)).extracting(StoredMemory::text)
                .containsExactly("c", "b", "a");
        assertThat(memories.byChat("c1", T0.plusSeconds(30), T0.plusSeconds(120), 10)).extracting(StoredMemory::text)
                .containsExactly("b");
        assertThat(memories.byChat("c1", T0, T0.plusSeconds(121), 2)).hasSize(2);
    }

    @Test
    void after_pages_through_every_chat_in_id_order() {
        StoredMemory a = memories.insert(memory("c1", "a", T0, "1"));
        StoredMemory b = memories.insert(memory("c2", "b", T0, "2"));
        StoredMemory c = memories.insert(memory("c1", "c", T0, "3"));

        assertThat(memories.after(0, 2)).containsExactly(a, b);
        assertThat(memories.after(b.id(), 2)).containsExactly(c);
        assertThat(memories.findAll(List.of(c.id(), a.id(), 999L))).containsExactly(a, c);
    }

    @Test
    void match_terms_ranks_by_distinct_matched_terms_then_recency_and_respects_chat_and_time() {
        memories.insert(memory("c1", "猫", T0, "1", "猫"));
        StoredMemory both = memories.insert(memory("c1", "橘猫 名字", T0, "2", "猫", "名字"));
        StoredMemory newer = memories.insert(memory("c1", "猫 新", T0.plusSeconds(10), "3", "猫"));
        memories.insert(memory("c2", "别的聊天 猫 名字", T0, "4", "猫", "名字"));

        var matches = memories.matchTerms("c1", Set.of("猫", "名字"), Instant.EPOCH, T0.plusSeconds(60), 100, 10);

        assertThat(matches).extracting(t -> t.memory().id()).startsWith(both.id(), newer.id()).hasSize(3);
        assertThat(matches.getFirst().matchedTerms()).isEqualTo(2);
        assertThat(matches.getFirst().terms()).containsExactlyInAnyOrder("猫", "名字");
        assertThat(memories.matchTerms("c1", Set.of("猫"), T0.plusSeconds(5), T0.plusSeconds(60), 100, 10))
                .extracting(t -> t.memory().id()).containsExactly(newer.id());
        assertThat(memories.matchTerms("c1", Set.of(), Instant.EPOCH, T0, 100, 10)).isEmpty();
    }

    @Test
    void match_terms_reads_only_the_newest_postings_of_each_term_but_finds_old_memories_through_rare_terms() {
        StoredMemory old = memories.insert(memory("c1", "很久以前的橘猫", T0, "old", "猫", "橘猫"));
        for (int i = 1; i <= 5; i++) memories.insert(memory("c1", "猫 " + i, T0.plusSeconds(i), "n" + i, "猫"));

        var common = memories.matchTerms("c1", Set.of("猫"), Instant.EPOCH, T0.plusSeconds(60), 3, 10);
        var rare = memories.matchTerms("c1", Set.of("猫", "橘猫"), Instant.EPOCH, T0.plusSeconds(60), 3, 10);

        assertThat(common).hasSize(3).extracting(t -> t.memory().id()).doesNotContain(old.id());
        assertThat(rare).extracting(t -> t.memory().id()).contains(old.id());
        assertThat(memories.termsOf(List.of(old.id(), 999L))).containsOnlyKeys(old.id());
    }
}
