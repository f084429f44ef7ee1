package dev.engram.memory.recall;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.task.MemoryTask;
import dev.engram.testing.MutableClock;
import dev.engram.app.DefaultSettings;

/** Every kind of entry of the one recall cache goes stale with its chat, and only with its chat. */
class RecallCacheInvalidationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final RecallCache cache = DefaultSettings.recallCache(clock);

    private static MemoryTask.Retrieve retrieve(String chat, String query) {
        return new MemoryTask.Retrieve(chat, query, Set.of(), T0.plusSeconds(2));
    }

    private static Recall ok(String text) {
        return new Recall(List.of(new Memory(text, "lexical", 1, List.of(1L))), RecallStatus.OK);
    }

    private static List<Candidate> prepared(String text) {
        return List.of(new Candidate("i:1", text, 1, List.of(1L), T0));
    }

    private void fill(String chat) {
        cache.put(retrieve(chat, "猫叫什么"), cache.version(chat), ok("猫叫年糕"));
        cache.keepFallback(chat, "猫叫什么", cache.version(chat), List.of(new Memory("猫叫年糕", "lexical", 1, List.of(1L))));
        cache.keepPrefetched(chat, cache.version(chat), prepared("猫叫年糕"));
        cache.put(retrieve(chat, "猫叫什么"), cache.version(chat), ok("猫叫年糕")); // after the prefetch's own change
        cache.keepFallback(chat, "猫叫什么", cache.version(chat), List.of(new Memory("猫叫年糕", "lexical", 1, List.of(1L))));
    }

    private boolean holdsAnything(String chat) {
        return cache.get(retrieve(chat, "猫叫什么")) != null || !cache.fallback(chat, "猫叫什么").isEmpty()
                || !cache.prefetched(chat).isEmpty();
    }

    @Test
    void a_change_of_a_chat_drops_its_reply_fallback_and_prefetched_entries_only() {
        fill("c1");
        fill("c2");
        assertThat(cache.get(retrieve("c1", "猫 叫 什么？"))).as("normalised query").isEqualTo(ok("猫叫年糕"));
        assertThat(cache.fallback("c1", "猫叫什么")).extracting(Memory::text).containsExactly("猫叫年糕");
        assertThat(cache.prefetched("c1")).extracting(Candidate::text).containsExactly("猫叫年糕");

        cache.invalidate("c1");

        assertThat(holdsAnything("c1")).isFalse();
        assertThat(holdsAnything("c2")).isTrue();
        cache.invalidateAll();
        assertThat(holdsAnything("c2")).isFalse();
    }

    @Test
    void work_started_before_a_change_is_never_kept() {
        long before = cache.version("c1");
        cache.invalidate("c1"); // e.g. a store landed while the recall or the prefetch ran

        cache.put(retrieve("c1", "猫叫什么"), before, ok("猫叫年糕"));
        cache.keepFallback("c1", "猫叫什么", before, List.of(new Memory("猫叫年糕", "lexical", 1, List.of(1L))));
        cache.keepPrefetched("c1", before, prepared("猫叫年糕"));

        assertThat(holdsAnything("c1")).isFalse();
    }

    @Test
    void prefetched_memories_arriving_make_the_chats_cached_recalls_stale() {
        cache.put(retrieve("c1", "猫叫什么"), cache.version("c1"), ok("没有预取的回答"));
        cache.keepPrefetched("c1", cache.version("c1"), prepared("猫叫年糕"));

        assertThat(cache.get(retrieve("c1", "猫叫什么"))).as("it did not see the prefetch").isNull();
        assertThat(cache.prefetched("c1")).hasSize(1);
    }

    @Test
    void only_complete_recalls_are_served_and_entries_expire_on_the_clock() {
        cache.put(retrieve("c1", "partial"), cache.version("c1"), new Recall(ok("x").memories(), RecallStatus.PARTIAL));
        assertThat(cache.get(retrieve("c1", "partial"))).isNull();

        cache.put(retrieve("c1", "q"), cache.version("c1"), ok("x"));
        clock.advance(Duration.ofSeconds(301));
        assertThat(cache.get(retrieve("c1", "q"))).isNull();
        assertThat(cache.status().misses()).isEqualTo(2);
    }
}
