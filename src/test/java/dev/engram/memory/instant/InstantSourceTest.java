package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.memory.Candidate;
import dev.engram.model.StoredMemory;
import dev.engram.text.TextSimilarity;
import dev.engram.text.TimeExpressions;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

class InstantSourceTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 3, 4, 15, 0, 0, 0, ZONE);
    private static final Instant YESTERDAY = NOW.minusDays(1).toInstant();
    private static final Instant LAST_WEEK = NOW.minusDays(8).toInstant();
    private static final Instant FAR = Instant.MAX;

    @TempDir
    Path dir;
    Storage storage;
    InstantSource source;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
        source = new InstantSource(storage.memories(), Clock.fixed(NOW.toInstant(), ZONE), ZONE);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private StoredMemory remember(String chat, String text, Instant at, String... keywords) {
        List<String> kws = List.of(keywords);
        return storage.memories().insert(new NewMemory(chat, text, kws, List.of(7L), at, TextSimilarity.contentHash(text),
                null, MemoryTerms.of(text, kws)));
    }

    private StoredMemory supersede(String text, Instant at, StoredMemory old) {
        return storage.memories().insert(new NewMemory("c1", text, List.of(), List.of(7L), at,
                TextSimilarity.contentHash(text), null, MemoryTerms.of(text, List.of())), List.of(old.id()));
    }

    @Test
    void a_superseded_fact_is_not_recalled_for_a_question_about_now() {
        StoredMemory one = remember("c1", "我最喜欢的数字是 1", LAST_WEEK);
        StoredMemory two = supersede("我最喜欢的数字是 2", YESTERDAY, one);

        assertThat(source.search("c1", "我最喜欢的数字是多少", 5, FAR)).extracting(Candidate::key)
                .containsExactly("i:" + two.id());
    }

    @Test
    void a_question_about_the_past_reaches_the_superseded_fact_below_the_current_one() {
        StoredMemory one = remember("c1", "我最喜欢的数字是 1", LAST_WEEK);
        StoredMemory two = supersede("我最喜欢的数字是 2", YESTERDAY, one);

        List<Candidate> found = source.search("c1", "我以前最喜欢的数字是多少", 5, FAR);

        assertThat(found).extracting(Candidate::key).containsExactly("i:" + two.id(), "i:" + one.id());
        assertThat(found.get(1).score()).isLessThan(found.getFirst().score());
        assertThat(PastQuestion.asks("What did Nadia use to eat? She used to love sushi")).isTrue();
        assertThat(PastQuestion.asks("我最喜欢的数字是多少")).isFalse();
    }

    @Test
    void finds_memories_sharing_keywords_with_the_question_best_first() {
        StoredMemory cat = remember("c1", "小林养了一只橘猫，名字叫咪咪", LAST_WEEK, "橘猫", "咪咪", "名字");
        StoredMemory fish = remember("c1", "小林说猫咪爱吃鱼", YESTERDAY, "猫咪", "鱼");
        remember("c1", "阿哲买烤箱花了599元", YESTERDAY, "烤箱");

        List<Candidate> found = source.search("c1", "小林的猫叫什么名字", 5, FAR);

        assertThat(found).extracting(Candidate::key).containsExactly("i:" + cat.id(), "i:" + fish.id());
        assertThat(found.getFirst().score()).isGreaterThan(found.get(1).score());
        assertThat(found.getFirst().messageIds()).containsExactly(7L);
        assertThat(found.getFirst().createdAt()).isEqualTo(LAST_WEEK);
    }

    @Test
    void english_questions_match_by_words() {
        StoredMemory job = remember("c2", "Marcus worked as a sous chef at Juniper before the food truck", LAST_WEEK,
                "Marcus", "sous chef", "Juniper");
        remember("c2", "Iris climbed at Smith Rock for four days", LAST_WEEK, "Iris", "Smith Rock");

        assertThat(source.search("c2", "What was Marcus's job before the food truck?", 5, FAR))
                .extracting(Candidate::key).containsExactly("i:" + job.id());
    }

    @Test
    void a_time_in_the_question_filters_and_time_alone_lists_that_day() {
        StoredMemory recent = remember("c1", "小林说猫咪爱吃鱼", YESTERDAY, "猫咪", "鱼");
        remember("c1", "小林的猫咪打翻了水杯", LAST_WEEK, "猫咪", "水杯");

        assertThat(source.search("c1", "昨天说的猫咪怎么了", 5, FAR)).extracting(Candidate::key)
                .containsExactly("i:" + recent.id());
        assertThat(source.search("c1", "我们昨天聊了什么", 5, FAR)).extracting(Candidate::key)
                .containsExactly("i:" + recent.id());
    }

    @Test
    void ties_go_to_the_newest_and_the_limit_holds() {
        remember("c1", "周末去爬山 一", LAST_WEEK, "爬山");
        StoredMemory newer = remember("c1", "周末去爬山 二", YESTERDAY, "爬山");
        remember("c1", "周末去爬山 三", LAST_WEEK.minusSeconds(60), "爬山");

        List<Candidate> found = source.search("c1", "爬山", 2, FAR);

        assertThat(found).hasSize(2);
        assertThat(found.getFirst().key()).isEqualTo("i:" + newer.id());
    }

    @Test
    void never_returns_another_chats_memory() {
        remember("other", "小林对花生过敏", YESTERDAY, "花生", "过敏");

        assertThat(source.search("c1", "花生过敏", 5, FAR)).isEmpty();
        assertThat(source.search("c1", "昨天", 5, FAR)).isEmpty();
    }

    @Test
    void a_question_without_keywords_or_time_finds_nothing() {
        remember("c1", "嗯嗯好的", YESTERDAY, "好的");

        assertThat(source.search("c1", "嗯嗯", 5, FAR)).isEmpty();
    }

    @Test
    void lookup_by_llm_keywords_uses_the_given_time_range() {
        StoredMemory cat = remember("c1", "小林养了一只橘猫", LAST_WEEK, "橘猫");

        assertThat(source.lookup("c1", List.of("橘猫"), Optional.empty(), 5, FAR)).extracting(Candidate::key)
                .containsExactly("i:" + cat.id());
        assertThat(source.lookup("c1", List.of("橘猫"), TimeExpressions.range("昨天", NOW), 5, FAR)).isEmpty();
    }

    @Test
    void partial_matches_count_half() {
        assertThat(InstantScorer.score(Map.of("星海", 1.0), Set.of("星海回声"))).isEqualTo(0.5);
        assertThat(InstantScorer.score(Map.of("星海回声", 1.0, "上线", 1.0), Set.of("星海回声", "上线"))).isEqualTo(1.0);
        assertThat(InstantScorer.score(Map.of("猫", 1.0), Set.of("橘猫"))).isZero();
    }

    @Test
    void facts_split_from_one_message_share_one_unit_best_first() {
        Instant at = NOW.toInstant().minusSeconds(600);
        StoredMemory allergy = remember("c1", "小林对花生过敏", at);
        remember("c1", "小林对芒果过敏", at);
        remember("c1", "阿哲对海鲜过敏", at.plusSeconds(60)); // another message: its own unit

        List<Candidate> found = source.search("c1", "花生过敏", 5, FAR);

        assertThat(found).hasSize(2);
        assertThat(found.getFirst().key()).isEqualTo("i:" + allergy.id());
        assertThat(found.getFirst().text()).isEqualTo("小林对花生过敏；小林对芒果过敏");
    }
}
