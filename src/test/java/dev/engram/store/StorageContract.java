package dev.engram.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.EmbeddingRepository.Embedding;
import dev.engram.store.EmbeddingRepository.Kind;
import dev.engram.store.GraphRepository.EdgeRow;
import dev.engram.store.GraphRepository.RunRow;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.MemoryRepository.TermMatch;

/**
 * What every {@link Storage} backend must do, method by method: the message log, instant memories,
 * embeddings, the concept graph, the outbox, and transactions (commit, rollback, joining, isolation,
 * concurrent writers). A backend's test extends this class and says how to open it; each test starts
 * from an empty, migrated database.
 */
public abstract class StorageContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    protected Storage storage;

    /** Opens the backend under test; opening again after {@link Storage#close()} reaches the same data. */
    protected abstract Storage open();

    @BeforeEach
    final void openStorage() {
        storage = open();
    }

    @AfterEach
    final void closeStorage() {
        if (storage != null) storage.close();
    }

    private void reopen() {
        if (storage != null) storage.close();
        storage = open();
    }

    private ChatMessage say(String chat, String text, Instant at) {
        return storage.messages().append(NewMessage.user(chat, null, null, text, at));
    }

    private static NewMemory memory(String chat, String text, Instant at, String source, String... terms) {
        return new NewMemory(chat, text, List.of(terms), List.of(1L, 2L), at, "hash:" + text, source, Set.of(terms));
    }

    // ---- messages ----

    @Test
    void messages_marked_forgotten_are_found_but_not_remembered() {
        ChatMessage kept = say("c1", "我叫小林", T0);
        ChatMessage marked = say("c1", "我对花生过敏", T0.plusSeconds(1));
        assertThat(storage.messages().markForgotten(List.of(marked.id()))).isEqualTo(1);
        List<Long> both = List.of(kept.id(), marked.id());
        assertThat(storage.messages().findAll(both)).extracting(ChatMessage::id).containsExactly(kept.id(), marked.id());
        assertThat(storage.messages().findRemembered(both)).extracting(ChatMessage::id).containsExactly(kept.id());
        assertThat(storage.messages().findRemembered(List.of())).isEmpty();
    }

    @Test
    void appended_messages_keep_every_field_and_get_increasing_ids() {
        ChatMessage a = storage.messages().append(NewMessage.user("c1", "u1", "小林", "我对花生过敏", T0));
        ChatMessage b = storage.messages().append(NewMessage.assistant("c1", "记住了", T0.plusSeconds(1)));
        ChatMessage c = storage.messages().append(
                new NewMessage("c1", ChatMessage.Role.USER, "u2", "Nadia", "hi", T0.plusMillis(2_001), "D1:3"));

        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(c.id()).isGreaterThan(b.id());
        assertThat(storage.messages().find(a.id())).contains(a);
        assertThat(a.userName()).isEqualTo("小林");
        assertThat(a.memorizedTimes()).isZero();
        assertThat(a.externalId()).isNull();
        assertThat(storage.messages().find(b.id()).orElseThrow().role()).isEqualTo(ChatMessage.Role.ASSISTANT);
        assertThat(storage.messages().find(c.id()).orElseThrow().externalId()).isEqualTo("D1:3");
        assertThat(storage.messages().find(c.id()).orElseThrow().createdAt()).isEqualTo(T0.plusMillis(2_001));
        assertThat(storage.messages().find(c.id() + 1000)).isEmpty();
    }

    @Test
    void append_once_stores_one_message_per_chat_and_external_id() {
        NewMessage first = new NewMessage("c1", ChatMessage.Role.USER, "u1", "小林", "我对花生过敏", T0, "qq-42");
        Intake a = storage.inTransaction(tx -> tx.messages().appendOnce(first));
        Intake again = storage.inTransaction(tx -> tx.messages().appendOnce(
                new NewMessage("c1", ChatMessage.Role.USER, "u1", "小林", "redelivered", T0.plusSeconds(5), "qq-42")));
        Intake otherChat = storage.inTransaction(tx -> tx.messages().appendOnce(
                new NewMessage("c2", ChatMessage.Role.USER, "u1", "小林", "another chat", T0, "qq-42")));
        Intake noId = storage.inTransaction(tx -> tx.messages().appendOnce(NewMessage.user("c1", "u1", "小林", "x", T0)));
        Intake noIdAgain = storage.inTransaction(tx -> tx.messages().appendOnce(NewMessage.user("c1", "u1", "小林", "x", T0)));

        assertThat(a.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).isEqualTo(a.message());
        assertThat(otherChat.duplicate()).isFalse();
        assertThat(noId.duplicate()).isFalse();
        assertThat(noIdAgain.duplicate()).isFalse();
        assertThat(storage.messages().count()).isEqualTo(4);
        assertThat(storage.messages().findByExternalId("c1", "qq-42")).contains(a.message());
        assertThat(storage.messages().findByExternalId("c3", "qq-42")).isEmpty();
        assertThatThrownBy(() -> storage.messages().append(first)).as("the log itself refuses a second copy")
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void find_all_returns_known_ids_in_id_order() {
        ChatMessage a = say("c1", "a", T0);
        ChatMessage b = say("c2", "b", T0);

        assertThat(storage.messages().findAll(List.of(b.id(), 999_999L, a.id()))).containsExactly(a, b);
        assertThat(storage.messages().findAll(List.of())).isEmpty();
    }

    @Test
    void recent_returns_the_newest_messages_of_one_chat_oldest_first() {
        for (int i = 0; i < 5; i++) {
            say("c1", "m" + i, T0.plusSeconds(i));
            say("c2", "other" + i, T0.plusSeconds(i));
        }
        say("c1", "same-time", T0.plusSeconds(4));

        assertThat(storage.messages().recent("c1", 3)).extracting(ChatMessage::text)
                .containsExactly("m3", "m4", "same-time");
        assertThat(storage.messages().recent("nobody", 3)).isEmpty();
        assertThat(storage.messages().count()).isEqualTo(11);
        assertThat(storage.messages().countChats()).isEqualTo(2);
    }

    @Test
    void time_range_queries_are_half_open_ordered_and_limited() {
        for (int i = 0; i < 5; i++) say("c1", "m" + i, T0.plusSeconds(i * 60L));
        say("c2", "x", T0.plusSeconds(60));

        assertThat(storage.messages().between("c1", T0.plusSeconds(60), T0.plusSeconds(180), 10))
                .extracting(ChatMessage::text).containsExactly("m1", "m2");
        assertThat(storage.messages().between("c1", T0, T0.plusSeconds(300), 2))
                .extracting(ChatMessage::text).containsExactly("m0", "m1");
        assertThat(storage.messages().betweenAnyChat(T0.plusSeconds(60), T0.plusSeconds(61), 10))
                .extracting(ChatMessage::text).containsExactly("m1", "x");
    }

    @Test
    void after_pages_through_every_chat_in_id_order() {
        ChatMessage a = say("c1", "a", T0.plusSeconds(9));
        ChatMessage b = say("c2", "b", T0);
        ChatMessage c = say("c1", "c", T0);

        assertThat(storage.messages().after(0, 2)).containsExactly(a, b);
        assertThat(storage.messages().after(b.id(), 10)).containsExactly(c);
        assertThat(storage.messages().after(c.id(), 10)).isEmpty();
    }

    @Test
    void memorized_times_is_incremented_per_listed_message() {
        ChatMessage a = say("c1", "a", T0);
        ChatMessage b = say("c1", "b", T0);
        ChatMessage c = say("c1", "c", T0);
        storage.messages().incrementMemorized(List.of(a.id(), b.id()));
        storage.messages().incrementMemorized(List.of(a.id()));
        storage.messages().incrementMemorized(List.of());

        assertThat(storage.messages().findAll(List.of(a.id(), b.id(), c.id())))
                .extracting(ChatMessage::memorizedTimes).containsExactly(2, 1, 0);
    }

    // ---- memories ----

    @Test
    void an_inserted_memory_reads_back_with_its_lists_intact() {
        StoredMemory m = storage.memories().insert(memory("c1", "小林对花生过敏", T0, "m:1", "花生", "过敏"));

        assertThat(storage.memories().find(m.id())).contains(m);
        assertThat(m.keywords()).containsExactly("花生", "过敏");
        assertThat(m.messageIds()).containsExactly(1L, 2L);
        assertThat(storage.memories().find(m.id() + 1000)).isEmpty();
        assertThat(storage.memories().count()).isEqualTo(1);
        assertThat(storage.memories().countByChat("c1")).isEqualTo(1);
        assertThat(storage.memories().countByChat("c2")).isZero();
    }

    @Test
    void pinned_memories_are_listed_while_current_and_survive_nothing_else() {
        StoredMemory a = storage.memories().insert(memory("c1", "小林对花生过敏", T0, "m:1"));
        StoredMemory b = storage.memories().insert(memory("c2", "小王住在杭州", T0, "m:2"));
        StoredMemory c = storage.memories().insert(memory("c1", "无关", T0, "m:3"));

        assertThat(storage.memories().setPinned(a.id(), true)).isTrue();
        assertThat(storage.memories().setPinned(b.id(), true)).isTrue();
        assertThat(storage.memories().setPinned(c.id() + 1000, true)).isFalse();
        assertThat(storage.memories().pinnedAmong(List.of(a.id(), b.id(), c.id()))).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(storage.memories().pinned(10)).extracting(StoredMemory::id).containsExactly(a.id(), b.id());

        storage.memories().insert(memory("c2", "小王搬到了上海", T0.plusSeconds(1), "m:4"), List.of(b.id()));
        assertThat(storage.memories().pinned(10)).extracting(StoredMemory::id).containsExactly(a.id()); // b is history now
        assertThat(storage.memories().setPinned(a.id(), false)).isTrue();
        assertThat(storage.memories().pinnedAmong(List.of(a.id()))).isEmpty();
    }

    @Test
    void memory_insert_is_idempotent_per_chat_and_source_key() {
        StoredMemory first = storage.memories().insert(memory("c1", "小林对花生过敏", T0, "m:1", "花生"));
        StoredMemory again = storage.memories().insert(memory("c1", "另一种说法", T0, "m:1", "花生"));
        StoredMemory otherChat = storage.memories().insert(memory("c2", "小林对花生过敏", T0, "m:1", "花生"));
        storage.memories().insert(memory("c1", "无来源一", T0, null));
        storage.memories().insert(memory("c1", "无来源二", T0, null));

        assertThat(again).isEqualTo(first);
        assertThat(otherChat.id()).isNotEqualTo(first.id());
        assertThat(storage.memories().findBySource("c1", "m:1")).contains(first);
        assertThat(storage.memories().findBySource("c1", "m:2")).isEmpty();
        assertThat(storage.memories().countByChat("c1")).isEqualTo(3);
    }

    @Test
    void memories_are_found_by_hash_within_one_chat_only() {
        StoredMemory m = storage.memories().insert(memory("c1", "Nadia works nights.", T0, "a"));

        assertThat(storage.memories().findByHash("c1", "hash:Nadia works nights.")).contains(m);
        assertThat(storage.memories().findByHash("c2", "hash:Nadia works nights.")).isEmpty();
    }

    @Test
    void memories_by_chat_are_newest_first_within_the_half_open_range() {
        storage.memories().insert(memory("c1", "a", T0, "1"));
        storage.memories().insert(memory("c1", "b", T0.plusSeconds(60), "2"));
        storage.memories().insert(memory("c1", "c", T0.plusSeconds(120), "3"));
        storage.memories().insert(memory("c2", "x", T0.plusSeconds(60), "4"));

        assertThat(storage.memories().byChat("c1", T0, T0.plusSeconds(121), 10)).extracting(StoredMemory::text)
                .containsExactly("c", "b", "a");
        assertThat(storage.memories().byChat("c1", T0.plusSeconds(60), T0.plusSeconds(120), 10))
                .extracting(StoredMemory::text).containsExactly("b");
        assertThat(storage.memories().byChat("c1", T0, T0.plusSeconds(121), 2)).extracting(StoredMemory::text)
                .containsExactly("c", "b");
    }

    @Test
    void memories_page_through_every_chat_in_id_order() {
        StoredMemory a = storage.memories().insert(memory("c1", "a", T0, "1"));
        StoredMemory b = storage.memories().insert(memory("c2", "b", T0, "2"));
        StoredMemory c = storage.memories().insert(memory("c1", "c", T0, "3"));

        assertThat(storage.memories().after(0, 2)).containsExactly(a, b);
        assertThat(storage.memories().after(b.id(), 2)).containsExactly(c);
        assertThat(storage.memories().findAll(List.of(c.id(), a.id(), 999L))).containsExactly(a, c);
        assertThat(storage.memories().findAll(List.of())).isEmpty();
    }

    @Test
    void a_superseding_insert_gives_the_old_fact_valid_to_and_a_link_to_its_successor() {
        StoredMemory old = storage.memories().insert(memory("c1", "我最喜欢的数字是 1", T0, "1", "数字"));
        StoredMemory other = storage.memories().insert(memory("c2", "我最喜欢的数字是 9", T0, "2", "数字"));

        StoredMemory now = storage.memories().insert(memory("c1", "我最喜欢的数字是 2", T0.plusSeconds(60), "3", "数字"),
                List.of(old.id(), other.id(), 999L));

        assertThat(now.current()).isTrue();
        assertThat(now.supersedes()).containsExactly(old.id());
        StoredMemory history = storage.memories().find(old.id()).orElseThrow();
        assertThat(history.text()).isEqualTo("我最喜欢的数字是 1");
        assertThat(history.current()).isFalse();
        assertThat(history.validTo()).isEqualTo(T0.plusSeconds(60));
        assertThat(history.supersededBy()).isEqualTo(now.id());
        assertThat(storage.memories().find(now.id())).contains(now);
        assertThat(storage.memories().find(other.id()).orElseThrow().current()).isTrue();
    }

    @Test
    void memories_written_from_messages_are_found_through_their_newest_source_message() {
        ChatMessage hangzhou = say("c1", "我住在杭州", T0);
        ChatMessage both = say("c1", "我住在深圳，喜欢榴莲", T0.plusSeconds(60));
        ChatMessage sameTime = say("c2", "我住在北京", T0.plusSeconds(60));
        StoredMemory old = storage.memories().insert(new NewMemory("c1", "小林住在杭州", List.of(), List.of(hangzhou.id()),
                T0, "h1", "m:1", Set.of()));
        StoredMemory city = storage.memories().insert(new NewMemory("c1", "小林住在深圳", List.of(), List.of(both.id()),
                both.createdAt(), "h2", "m:2#1", Set.of()), List.of(old.id()));
        StoredMemory fruit = storage.memories().insert(new NewMemory("c1", "小林喜欢榴莲", List.of(), List.of(both.id()),
                both.createdAt(), "h3", "m:2", Set.of()));
        storage.memories().insert(new NewMemory("c2", "老周住在北京", List.of(), List.of(sameTime.id()),
                sameTime.createdAt(), "h4", "m:3", Set.of()));
        storage.memories().insert(new NewMemory("c1", "别的事", List.of(), List.of(999L), both.createdAt(), "h5", "m:9",
                Set.of()));

        assertThat(storage.memories().writtenFrom(List.of(hangzhou.id(), both.id(), 12_345L)))
                .extracting(StoredMemory::id, StoredMemory::current)
                .containsExactly(tuple(old.id(), false), tuple(city.id(), true), tuple(fruit.id(), true));
        assertThat(storage.memories().writtenFrom(List.of())).isEmpty();
    }

    @Test
    void a_superseded_fact_is_not_superseded_again_and_a_replay_supersedes_nothing_more() {
        StoredMemory one = storage.memories().insert(memory("c1", "数字 1", T0, "1", "数字"));
        StoredMemory two = storage.memories().insert(memory("c1", "数字 2", T0.plusSeconds(1), "2", "数字"), List.of(one.id()));
        StoredMemory three = storage.memories().insert(memory("c1", "数字 3", T0.plusSeconds(2), "3", "数字"),
                List.of(one.id(), two.id()));
        StoredMemory replay = storage.memories().insert(memory("c1", "数字 3", T0.plusSeconds(2), "3", "数字"),
                List.of(one.id(), two.id()));

        assertThat(three.supersedes()).containsExactly(two.id());
        assertThat(replay).isEqualTo(three);
        assertThat(storage.memories().find(one.id()).orElseThrow().supersededBy()).isEqualTo(two.id());
        assertThat(storage.memories().byChat("c1", Instant.EPOCH, T0.plusSeconds(60), 10))
                .extracting(StoredMemory::current).containsExactly(true, false, false);
        assertThat(storage.memories().matchTerms("c1", Set.of("数字"), Instant.EPOCH, T0.plusSeconds(60), 10, 10))
                .extracting(t -> t.memory().current()).containsExactly(true, false, false);
    }

    @Test
    void term_matches_rank_by_distinct_terms_then_recency_within_chat_and_time() {
        storage.memories().insert(memory("c1", "猫", T0, "1", "猫"));
        StoredMemory both = storage.memories().insert(memory("c1", "橘猫 名字", T0, "2", "猫", "名字"));
        StoredMemory newer = storage.memories().insert(memory("c1", "猫 新", T0.plusSeconds(10), "3", "猫"));
        storage.memories().insert(memory("c2", "别的聊天 猫 名字", T0, "4", "猫", "名字"));

        List<TermMatch> matches = storage.memories()
                .matchTerms("c1", Set.of("猫", "名字"), Instant.EPOCH, T0.plusSeconds(60), 100, 10);

        assertThat(matches).extracting(t -> t.memory().id()).startsWith(both.id(), newer.id()).hasSize(3);
        assertThat(matches.getFirst().matchedTerms()).isEqualTo(2);
        assertThat(matches.getFirst().terms()).containsExactlyInAnyOrder("猫", "名字");
        assertThat(storage.memories().matchTerms("c1", Set.of("猫"), T0.plusSeconds(5), T0.plusSeconds(60), 100, 10))
                .extracting(t -> t.memory().id()).containsExactly(newer.id());
        assertThat(storage.memories().matchTerms("c1", Set.of("猫", "名字"), Instant.EPOCH, T0.plusSeconds(60), 100, 1))
                .extracting(t -> t.memory().id()).containsExactly(both.id());
        assertThat(storage.memories().matchTerms("c1", Set.of(), Instant.EPOCH, T0, 100, 10)).isEmpty();
    }

    @Test
    void term_matches_read_only_the_newest_postings_per_term_but_rare_terms_reach_old_memories() {
        StoredMemory old = storage.memories().insert(memory("c1", "很久以前的橘猫", T0, "old", "猫", "橘猫"));
        for (int i = 1; i <= 5; i++) storage.memories().insert(memory("c1", "猫 " + i, T0.plusSeconds(i), "n" + i, "猫"));

        var common = storage.memories().matchTerms("c1", Set.of("猫"), Instant.EPOCH, T0.plusSeconds(60), 3, 10);
        var rare = storage.memories().matchTerms("c1", Set.of("猫", "橘猫"), Instant.EPOCH, T0.plusSeconds(60), 3, 10);

        assertThat(common).hasSize(3).extracting(t -> t.memory().id()).doesNotContain(old.id());
        assertThat(rare).extracting(t -> t.memory().id()).contains(old.id());
        assertThat(storage.memories().termsOf(List.of(old.id(), 999L)))
                .containsOnlyKeys(old.id()).containsEntry(old.id(), Set.of("猫", "橘猫"));
        assertThat(storage.memories().termsOf(List.of())).isEmpty();
    }

    // ---- embeddings ----

    @Test
    void vectors_round_trip_bit_exactly_per_kind_and_model() {
        float[] v = {0.5f, -0.25f, Float.MIN_VALUE, 1e-7f};
        storage.embeddings().saveAll(List.of(
                new Embedding(Kind.MESSAGE, 1, "c1", "m1", v, T0),
                new Embedding(Kind.MEMORY, 1, "c1", "m1", new float[] {1, 0, 0, 0}, T0),
                new Embedding(Kind.MESSAGE, 1, "c1", "m2", new float[] {0, 1}, T0)));

        Map<Long, float[]> found = storage.embeddings().find(Kind.MESSAGE, List.of(1L, 2L), "m1");

        assertThat(found).containsOnlyKeys(1L);
        assertThat(found.get(1L)).containsExactly(v);
        assertThat(storage.embeddings().find(Kind.MEMORY, List.of(1L), "m1").get(1L)).containsExactly(1, 0, 0, 0);
        assertThat(storage.embeddings().find(Kind.MESSAGE, List.of(1L), "m2").get(1L)).containsExactly(0, 1);
        assertThat(storage.embeddings().find(Kind.MESSAGE, List.of(), "m1")).isEmpty();
        assertThat(storage.embeddings().count("m1")).isEqualTo(2);
        assertThat(storage.embeddings().count("none")).isZero();
    }

    @Test
    void saving_an_embedding_again_replaces_it_and_old_rows_are_deleted_by_kind_and_age() {
        storage.embeddings().saveAll(List.of(
                new Embedding(Kind.MESSAGE, 1, "c1", "m", new float[] {1, 0}, T0.minusSeconds(100)),
                new Embedding(Kind.MESSAGE, 2, "c1", "m", new float[] {1, 0}, T0),
                new Embedding(Kind.MEMORY, 3, "c1", "m", new float[] {1, 0}, T0.minusSeconds(100))));
        storage.embeddings().saveAll(List.of(new Embedding(Kind.MESSAGE, 2, "c1", "m", new float[] {0, 1, 0}, T0)));

        assertThat(storage.embeddings().find(Kind.MESSAGE, List.of(2L), "m").get(2L)).containsExactly(0, 1, 0);
        assertThat(storage.embeddings().deleteCreatedBefore(Kind.MESSAGE, T0)).isEqualTo(1);
        assertThat(storage.embeddings().find(Kind.MESSAGE, List.of(1L, 2L), "m")).containsOnlyKeys(2L);
        assertThat(storage.embeddings().find(Kind.MEMORY, List.of(3L), "m")).containsOnlyKeys(3L);
    }

    @Test
    void old_memory_vectors_are_deleted_except_those_of_pinned_current_memories() {
        StoredMemory pinned = storage.memories().insert(memory("c1", "小林对花生过敏", T0.minusSeconds(100), "m:1"));
        StoredMemory plain = storage.memories().insert(memory("c1", "小王住在杭州", T0.minusSeconds(100), "m:2"));
        StoredMemory history = storage.memories().insert(memory("c1", "小李爱喝茶", T0.minusSeconds(100), "m:3"));
        storage.memories().setPinned(pinned.id(), true);
        storage.memories().setPinned(history.id(), true);
        storage.memories().insert(memory("c1", "小李爱喝咖啡", T0, "m:4"), List.of(history.id()));
        List<Embedding> rows = new ArrayList<>();
        for (StoredMemory m : List.of(pinned, plain, history)) {
            rows.add(new Embedding(Kind.MEMORY, m.id(), "c1", "m", new float[] {1, 0}, T0.minusSeconds(100)));
        }
        rows.add(new Embedding(Kind.MESSAGE, pinned.id(), "c1", "m", new float[] {1, 0}, T0.minusSeconds(100)));
        storage.embeddings().saveAll(rows);

        assertThat(storage.embeddings().deleteCreatedBefore(Kind.MEMORY, T0)).isEqualTo(2);
        assertThat(storage.embeddings().find(Kind.MEMORY, List.of(pinned.id(), plain.id(), history.id()), "m"))
                .containsOnlyKeys(pinned.id());
        assertThat(storage.embeddings().deleteCreatedBefore(Kind.MESSAGE, T0)).as("a message with a pinned memory's id").isEqualTo(1);
    }

    @Test
    void many_embeddings_are_saved_and_found_in_one_call() {
        List<Embedding> rows = new ArrayList<>();
        for (int i = 0; i < 1_234; i++) rows.add(new Embedding(Kind.MEMORY, i, "c1", "m", new float[] {i, 1}, T0));
        storage.embeddings().saveAll(rows);

        Map<Long, float[]> found = storage.embeddings().find(Kind.MEMORY, LongStream.range(0, 1_300).boxed().toList(), "m");
        assertThat(storage.embeddings().count("m")).isEqualTo(1_234);
        assertThat(found).hasSize(1_234);
        assertThat(found.get(1_233L)).containsExactly(1_233, 1);
    }

    // ---- graph ----

    @Test
    void graph_nodes_and_items_read_back_as_written() {
        long cat = storage.graph().insertNode("Cat", "cat", T0);
        long dog = storage.graph().insertNode("Dog", "dog", T0.plusSeconds(1));
        storage.graph().touchNode(cat, T0.plusSeconds(5));
        long item = storage.graph().insertItem(cat, "c1", "a cat named Mimi", "h1", List.of(3L, 4L), T0);
        storage.graph().updateItem(item, List.of(3L, 4L, 9L), T0.plusSeconds(7));

        assertThat(storage.graph().nodes()).containsExactly(
                new GraphRepository.NodeRow(cat, "Cat", "cat", T0, T0.plusSeconds(5)),
                new GraphRepository.NodeRow(dog, "Dog", "dog", T0.plusSeconds(1), T0.plusSeconds(1)));
        assertThat(storage.graph().items()).containsExactly(
                new GraphRepository.ItemRow(item, cat, "c1", "a cat named Mimi", "h1", List.of(3L, 4L, 9L),
                        T0.plusSeconds(7)));

        storage.graph().moveItem(item, dog);
        assertThat(storage.graph().items().getFirst().nodeId()).isEqualTo(dog);
        storage.graph().deleteItem(item);
        assertThat(storage.graph().items()).isEmpty();
    }

    @Test
    void graph_inserts_of_a_stored_concept_or_item_return_the_stored_one() {
        long cat = storage.graph().insertNode("Cat", "cat", T0);
        long item = storage.graph().insertItem(cat, "c1", "text", "h1", List.of(), T0);

        // a second writer (another instance of a cluster) gets the stored rows, in its transaction too
        assertThat(storage.graph().insertNode("CAT", "cat", T0.plusSeconds(5))).isEqualTo(cat);
        assertThat(storage.<Long>inTransaction(tx -> tx.graph().insertItem(cat, "c1", "text", "h1", List.of(1L), T0)))
                .isEqualTo(item);
        assertThat(storage.graph().nodes()).singleElement().satisfies(n -> assertThat(n.concept()).isEqualTo("Cat"));
        storage.graph().insertItem(cat, "c2", "text", "h1", List.of(), T0);
        assertThat(storage.graph().nodes()).hasSize(1);
        assertThat(storage.graph().items()).hasSize(2);
    }

    @Test
    void an_edge_upsert_replaces_strength_and_keeps_its_creation_time_and_delete_ignores_order() {
        long a = storage.graph().insertNode("A", "a", T0);
        long b = storage.graph().insertNode("B", "b", T0);
        long c = storage.graph().insertNode("C", "c", T0);
        storage.graph().upsertEdge(new EdgeRow(a, b, 1, T0, T0));
        storage.graph().upsertEdge(new EdgeRow(a, b, 3, T0.plusSeconds(50), T0.plusSeconds(60)));
        storage.graph().upsertEdge(new EdgeRow(b, c, 2, T0, T0));

        assertThat(storage.graph().edges()).containsExactly(
                new EdgeRow(a, b, 3, T0, T0.plusSeconds(60)), new EdgeRow(b, c, 2, T0, T0));
        storage.graph().deleteEdge(c, b);
        assertThat(storage.graph().edges()).containsExactly(new EdgeRow(a, b, 3, T0, T0.plusSeconds(60)));
    }

    @Test
    void deleting_a_node_deletes_its_items_and_edges() {
        long a = storage.graph().insertNode("A", "a", T0);
        long b = storage.graph().insertNode("B", "b", T0);
        storage.graph().insertItem(a, "c1", "about a", "ha", List.of(), T0);
        long kept = storage.graph().insertItem(b, "c1", "about b", "hb", List.of(), T0);
        storage.graph().upsertEdge(new EdgeRow(a, b, 1, T0, T0));

        storage.graph().deleteNode(a);

        assertThat(storage.graph().nodes()).extracting(GraphRepository.NodeRow::id).containsExactly(b);
        assertThat(storage.graph().items()).extracting(GraphRepository.ItemRow::id).containsExactly(kept);
        assertThat(storage.graph().edges()).isEmpty();
    }

    @Test
    void a_run_record_is_kept_per_kind_and_replaced_by_the_next_run() {
        storage.graph().recordRun(new RunRow("build", T0, 120, "ok", "3 nodes"));
        storage.graph().recordRun(new RunRow("forget", T0, 5, "ok", "nothing"));
        storage.graph().recordRun(new RunRow("build", T0.plusSeconds(60), 80, "failed", "llm down"));

        assertThat(storage.graph().runs()).containsExactlyInAnyOrder(
                new RunRow("build", T0.plusSeconds(60), 80, "failed", "llm down"),
                new RunRow("forget", T0, 5, "ok", "nothing"));
    }

    // ---- outbox ----

    @Test
    void the_outbox_keeps_insertion_order_ignores_duplicates_and_survives_reopen() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("b", "build", null, "{}", T0.plusSeconds(1), 0));
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{\"dup\":true}", T0, 0));
        storage.outbox().add(new OutboxRecord("c", "store", "c2", "{\"x\":1}", T0, 0));
        storage.outbox().updateAttempts("b", 2);

        reopen();

        List<OutboxRecord> all = storage.outbox().list(0, 10);
        assertThat(all).extracting(OutboxRecord::taskId).containsExactly("a", "b", "c");
        assertThat(all.get(0)).isEqualTo(new OutboxRecord("a", "store", "c1", "{}", T0, 0, all.get(0).seq()));
        assertThat(all.get(1).chatId()).isNull();
        assertThat(all.get(1).attempts()).isEqualTo(2);
        assertThat(all).extracting(OutboxRecord::seq).isSorted().doesNotHaveDuplicates();
        assertThat(storage.outbox().list(1, 1)).extracting(OutboxRecord::taskId).containsExactly("b");
        assertThat(storage.outbox().listAfter(all.get(0).seq(), 10)).extracting(OutboxRecord::taskId)
                .containsExactly("b", "c");
        assertThat(storage.outbox().listAfter(all.get(0).seq(), 1)).extracting(OutboxRecord::taskId).containsExactly("b");
    }

    @Test
    void outbox_records_are_removed_once_and_looked_up_by_task_id() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("b", "store", "c1", "{}", T0, 0));

        assertThat(storage.outbox().contains("a")).isTrue();
        assertThat(storage.outbox().remove("a")).isTrue();
        assertThat(storage.outbox().remove("a")).isFalse();
        assertThat(storage.outbox().remove("missing")).isFalse();
        assertThat(storage.outbox().contains("a")).isFalse();
        assertThat(storage.outbox().count()).isEqualTo(1);
        storage.outbox().updateAttempts("missing", 3);
        assertThat(storage.outbox().count()).isEqualTo(1);
    }

    @Test
    void dead_letters_leave_live_work_and_can_be_requeued_at_the_end_or_removed() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{\"x\":1}", T0, 0));
        storage.outbox().add(new OutboxRecord("b", "store", "c1", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("c", "store", "c1", "{}", T0, 0));
        long seqB = storage.outbox().list(0, 10).get(1).seq();

        assertThat(storage.outbox().markDead("a", 5)).isTrue();
        assertThat(storage.outbox().markDead("c", 1)).isTrue();
        assertThat(storage.outbox().markDead("missing", 1)).isFalse();
        assertThat(storage.outbox().count()).as("live only").isEqualTo(1);
        assertThat(storage.outbox().countDead()).isEqualTo(2);
        assertThat(storage.outbox().listAfter(0, 10)).extracting(OutboxRecord::taskId).containsExactly("b");
        assertThat(storage.outbox().listDead(10, true)).extracting(OutboxRecord::taskId).containsExactly("c", "a");
        assertThat(storage.outbox().listDead(1, false)).extracting(OutboxRecord::taskId).containsExactly("a");
        assertThat(storage.outbox().contains("a")).isTrue();

        java.util.Optional<OutboxRecord> revived = storage.inTransaction(tx -> tx.outbox().requeueDead("a"));
        OutboxRecord requeued = revived.orElseThrow();
        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.payload()).isEqualTo("{\"x\":1}");
        assertThat(requeued.seq()).as("at the end of the order").isGreaterThan(seqB);
        assertThat(storage.outbox().listAfter(0, 10)).extracting(OutboxRecord::taskId).containsExactly("b", "a");
        java.util.Optional<OutboxRecord> live = storage.inTransaction(tx -> tx.outbox().requeueDead("b"));
        assertThat(live).as("b is live").isEmpty();

        assertThat(storage.outbox().removeDead("b")).as("a live row is never removed as dead").isEmpty();
        assertThat(storage.outbox().removeDead("c")).get().extracting(OutboxRecord::taskId).isEqualTo("c");
        assertThat(storage.outbox().countDead()).isZero();
        assertThat(storage.outbox().count()).isEqualTo(2);
    }

    @Test
    void a_chat_lists_its_live_and_dead_records_in_order_and_removing_it_spares_the_others() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{\"x\":1}", T0, 0));
        storage.outbox().add(new OutboxRecord("b", "store", "c2", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("c", "store", "c1", "{}", T0, 0));
        storage.outbox().add(new OutboxRecord("d", "build", null, "{}", T0, 0));
        storage.outbox().markDead("c", 3);

        assertThat(storage.outbox().listChat("c1")).extracting(OutboxRecord::taskId).containsExactly("a", "c");
        assertThat(storage.outbox().listChat("c1").getFirst().payload()).isEqualTo("{\"x\":1}");
        assertThat(storage.outbox().listChat("none")).isEmpty();
        assertThat(storage.outbox().removeChat("c1")).isEqualTo(2);
        assertThat(storage.outbox().listChat("c1")).isEmpty();
        assertThat(storage.outbox().list(0, 10)).extracting(OutboxRecord::taskId).containsExactly("b", "d");
    }

    // ---- task status ----

    private static TaskStatusRecord status(String id, String state, int attempts, String error, Instant updated) {
        return new TaskStatusRecord(id, "store", state, attempts, error, "c1", T0, updated);
    }

    @Test
    void a_task_status_is_replaced_by_id_and_survives_reopen() {
        storage.taskStatus().put(status("a", "RETRY_WAIT", 1, "HTTP 503", T0.plusSeconds(1)));
        storage.taskStatus().putAll(List.of(new TaskStatusRecord("b", "build", "SUCCEEDED", 1, null, null, T0, T0),
                status("a", "SUCCEEDED", 2, null, T0.plusSeconds(5))));

        reopen();

        assertThat(storage.taskStatus().find("a")).contains(status("a", "SUCCEEDED", 2, null, T0.plusSeconds(5)));
        assertThat(storage.taskStatus().find("b")).get().extracting(TaskStatusRecord::chatId).isNull();
        assertThat(storage.taskStatus().find("missing")).isEmpty();
        assertThat(storage.taskStatus().count()).isEqualTo(2);
        assertThat(storage.taskStatus().remove("b")).isTrue();
        assertThat(storage.taskStatus().remove("b")).isFalse();
        assertThat(storage.taskStatus().count()).isEqualTo(1);
    }

    @Test
    void task_statuses_are_pruned_by_id_range_and_state() {
        for (int i = 0; i < 6; i++) storage.taskStatus().put(status("s-" + i, "SUCCEEDED", 1, null, T0));
        storage.taskStatus().put(status("s-6", "DEAD", 5, "HTTP 503", T0));
        storage.taskStatus().put(status("t-0", "SUCCEEDED", 1, null, T0));

        assertThat(storage.taskStatus().deleteRange("s-", "s-2", List.of("SUCCEEDED"))).isEqualTo(2);
        // s-2..s-6 remain; keep the 3 greatest ids (s-4, s-5, s-6): s-2 and s-3 go
        assertThat(storage.taskStatus().deleteBeyond("s-", "s.", List.of("SUCCEEDED"), 3)).isEqualTo(2);
        assertThat(storage.taskStatus().deleteBeyond("s-", "s.", List.of("SUCCEEDED"), 3)).isZero();
        assertThat(storage.taskStatus().deleteBeyond("s-", "s.", List.of("SUCCEEDED"), 0))
                .as("other states are never deleted").isEqualTo(2);

        assertThat(storage.taskStatus().find("s-6")).isPresent();
        assertThat(storage.taskStatus().find("t-0")).as("outside the range").isPresent();
        assertThat(storage.taskStatus().count()).isEqualTo(2);
    }

    @Test
    void a_status_commits_with_the_outbox_removal_or_not_at_all() {
        storage.outbox().add(new OutboxRecord("a", "store", "c1", "{}", T0, 0));
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.outbox().remove("a");
            tx.taskStatus().put(status("a", "SUCCEEDED", 1, null, T0));
            throw new IllegalStateException("crash");
        })).hasMessage("crash");
        assertThat(storage.outbox().contains("a")).isTrue();
        assertThat(storage.taskStatus().find("a")).isEmpty();
    }

    // ---- transactions ----

    @Test
    void a_message_and_its_outbox_record_commit_together() {
        long id = storage.inTransaction(tx -> {
            ChatMessage m = tx.messages().append(NewMessage.user("c1", null, null, "hello", T0));
            tx.outbox().add(new OutboxRecord("t1", "store", "c1", "{\"m\":" + m.id() + "}", T0, 0));
            assertThat(tx.messages().find(m.id())).as("own writes are visible inside").isPresent();
            return m.id();
        });

        assertThat(storage.messages().find(id)).isPresent();
        assertThat(storage.outbox().contains("t1")).isTrue();
    }

    @Test
    void a_failed_transaction_writes_nothing_in_any_repository() {
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            long node = tx.graph().insertNode("N", "n", T0);
            tx.graph().insertItem(node, "c1", "t", "h", List.of(), T0);
            tx.messages().append(NewMessage.user("c1", null, null, "half", T0));
            tx.outbox().add(new OutboxRecord("t1", "store", "c1", "{}", T0, 0));
            tx.memories().insert(memory("c1", "m", T0, "s", "term"));
            tx.embeddings().saveAll(List.of(new Embedding(Kind.MESSAGE, 9, "c1", "m", new float[] {1}, T0)));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(storage.messages().count()).isZero();
        assertThat(storage.outbox().count()).isZero();
        assertThat(storage.memories().count()).isZero();
        assertThat(storage.memories().matchTerms("c1", Set.of("term"), Instant.EPOCH, T0.plusSeconds(1), 10, 10)).isEmpty();
        assertThat(storage.embeddings().count("m")).isZero();
        assertThat(storage.graph().nodes()).isEmpty();
        assertThat(storage.graph().items()).isEmpty();
    }

    @Test
    void a_nested_transaction_joins_the_outer_one() {
        assertThatThrownBy(() -> storage.inTransaction(tx -> {
            tx.inTransaction(inner -> inner.messages().append(NewMessage.user("c1", null, null, "inner", T0)));
            throw new IllegalStateException("outer fails");
        })).hasMessage("outer fails");

        assertThat(storage.messages().count()).isZero();
    }

    @Test
    void uncommitted_writes_are_invisible_to_other_threads() throws Exception {
        long seenOutside;
        try (ExecutorService other = Executors.newVirtualThreadPerTaskExecutor()) {
            seenOutside = storage.inTransaction(tx -> {
                tx.messages().append(NewMessage.user("c1", null, null, "pending", T0));
                try {
                    return other.submit(() -> storage.messages().count()).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        assertThat(seenOutside).isZero();
        assertThat(storage.messages().count()).isEqualTo(1);
    }

    @Test
    void concurrent_writers_all_succeed() throws Exception {
        int threads = 8;
        int perThread = 50;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int n = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int k = i;
                        storage.inTransaction(tx -> {
                            ChatMessage m = tx.messages().append(NewMessage.user("c" + n, null, null, "m" + k, T0));
                            tx.outbox().add(new OutboxRecord("t" + m.id(), "store", m.chatId(), "{}", T0, 0));
                            return null;
                        });
                        storage.memories().insert(memory("c" + n, "memory " + k, T0, "s" + k, "w" + k));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get();
        }
        assertThat(storage.messages().count()).isEqualTo(threads * perThread);
        assertThat(storage.outbox().count()).isEqualTo(threads * perThread);
        assertThat(storage.memories().count()).isEqualTo(threads * perThread);
        assertThat(storage.messages().countChats()).isEqualTo(threads);
    }
}
