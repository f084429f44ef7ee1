package dev.engram.memory.recall;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.memory.Candidate;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.Storage;
import dev.engram.store.sqlite.SqliteStorage;

class RecallScreenTest {
    private static final Instant T0 = Instant.parse("2026-03-03T11:00:00Z");

    @TempDir
    Path dir;
    Storage storage;
    RecallScreen screen;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir, 5_000);
        screen = new RecallScreen(storage.messages()::findAll, storage.memories()::findAll, storage.memories()::writtenFrom);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private ChatMessage say(String userId, String name, String text) {
        return storage.messages().append(NewMessage.user("g", userId, name, text, T0));
    }

    private ChatMessage sayAt(String name, String text, int minute) {
        return storage.messages().append(NewMessage.user("g", name, name, text, T0.plusSeconds(60L * minute)));
    }

    /** A memory written from {@code from} (at its time) that supersedes {@code supersedes}. */
    private StoredMemory fact(String text, ChatMessage from, StoredMemory... supersedes) {
        return storage.memories().insert(new NewMemory("g", text, List.of(), List.of(from.id()), from.createdAt(),
                "hash:" + text, "src:" + text, java.util.Set.of()),
                java.util.Arrays.stream(supersedes).map(StoredMemory::id).toList());
    }

    private static Candidate memory(StoredMemory m) {
        return new Candidate("i:" + m.id(), m.text(), 1, m.messageIds(), m.createdAt());
    }

    private List<String> screenedKeys(String query, Map<String, List<Candidate>> answered, String source) {
        RecallQuery q = RecallQuery.of("g", query, Set.of(), T0.plusSeconds(3_600));
        return screen.screen(q, answered).get(source).stream().map(Candidate::key).toList();
    }

    private static Candidate raw(ChatMessage m) {
        return new Candidate("m:" + m.id(), m.displayName() + ": " + m.text(), 1, List.of(m.id()), m.createdAt());
    }

    private List<Candidate> screened(ChatMessage asking, Candidate... candidates) {
        RecallQuery q = RecallQuery.of("g", asking.text(), Set.of(asking.id()), T0.plusSeconds(2));
        return screen.screen(q, Map.of("lexical", List.of(candidates))).get("lexical");
    }

    @Test
    void a_first_person_question_does_not_get_another_speakers_fact() {
        ChatMessage a = say("u1", "小林", "我对花生过敏");
        ChatMessage b = say("u2", "阿哲", "我对猫毛过敏");
        ChatMessage asking = say("u2", "阿哲", "我对什么过敏？");

        assertThat(screened(asking, raw(a), raw(b))).extracting(Candidate::key).containsExactly("m:" + b.id());
    }

    @Test
    void another_speakers_fact_is_kept_when_the_query_names_them() {
        ChatMessage a = say("u1", "小林", "我对花生过敏");
        ChatMessage asking = say("u2", "阿哲", "我记得小林对什么过敏来着？");

        assertThat(screened(asking, raw(a))).extracting(Candidate::key).containsExactly("m:" + a.id());
    }

    @Test
    void a_query_without_first_person_or_with_an_unknown_asker_crosses_speakers() {
        ChatMessage a = say("u1", "小林", "我对花生过敏");
        ChatMessage third = say("u2", "阿哲", "谁对花生过敏？");
        ChatMessage anonymous = storage.messages().append(NewMessage.user("g", null, null, "我对什么过敏？", T0));

        assertThat(screened(third, raw(a))).hasSize(1);
        assertThat(screened(anonymous, raw(a))).hasSize(1);
    }

    @Test
    void a_memory_drawn_from_the_askers_and_others_messages_is_kept() {
        ChatMessage a = say("u1", "小林", "我们周六去爬山");
        ChatMessage b = say("u2", "阿哲", "我也去");
        ChatMessage asking = say("u2", "阿哲", "我周六干什么？");
        Candidate both = new Candidate("i:1", "小林和阿哲周六去爬山", 1, List.of(a.id(), b.id()), T0);

        assertThat(screened(asking, both)).containsExactly(both);
    }

    @Test
    void the_same_question_asked_before_is_not_recalled_and_questions_follow_statements() {
        ChatMessage earlier = say("u1", "小林", "我对什么过敏？");
        ChatMessage question = say("u1", "小林", "你知道花生过敏怎么办吗？");
        ChatMessage fact = say("u1", "小林", "我对花生过敏");
        ChatMessage asking = say("u1", "小林", "我对什么过敏？");

        assertThat(screened(asking, raw(earlier), raw(question), raw(fact))).extracting(Candidate::key)
                .containsExactly("m:" + fact.id(), "m:" + question.id());
    }

    @Test
    void raw_bot_messages_that_are_templates_or_only_echo_other_candidates_are_dropped() {
        ChatMessage fact = say("u1", "小林", "我对花生过敏");
        ChatMessage template = storage.messages().append(NewMessage.assistant("g",
                "[Engram 离线模式] 收到：我对花生过敏\n我暂时没有回忆起相关的记忆。", T0));
        ChatMessage echo = storage.messages().append(NewMessage.assistant("g", "你对花生过敏。", T0));
        ChatMessage own = storage.messages().append(NewMessage.assistant("g", "我周五提醒你交报告。", T0));
        ChatMessage asking = say("u1", "小林", "花生过敏怎么办");

        assertThat(screened(asking, raw(template), raw(echo), raw(fact), raw(own))).extracting(Candidate::key)
                .containsExactly("m:" + fact.id(), "m:" + own.id());
    }

    @Test
    void a_superseded_memory_follows_the_current_ones_in_order_unless_the_query_asks_about_the_past() {
        ChatMessage hangzhou = sayAt("小林", "我住在杭州", 0);
        ChatMessage beijing = sayAt("老周", "我住在北京", 1);
        ChatMessage shenzhen = sayAt("小林", "我搬到深圳了", 2);
        ChatMessage dali = sayAt("老周", "我搬到大理了", 3);
        StoredMemory oldLin = fact("小林住在杭州", hangzhou);
        StoredMemory oldZhou = fact("老周住在北京", beijing);
        StoredMemory newLin = fact("小林搬到深圳了", shenzhen, oldLin);
        StoredMemory newZhou = fact("老周搬到大理了", dali, oldZhou);
        Map<String, List<Candidate>> answered = Map.of("lexical",
                List.of(memory(oldZhou), memory(oldLin), memory(newZhou), memory(newLin)));

        assertThat(screenedKeys("小林住在哪个城市？", answered, "lexical")).containsExactly(
                "i:" + newZhou.id(), "i:" + newLin.id(), "i:" + oldZhou.id(), "i:" + oldLin.id());
        assertThat(screenedKeys("小林以前住在哪个城市？", answered, "lexical")).containsExactly(
                "i:" + oldZhou.id(), "i:" + oldLin.id(), "i:" + newZhou.id(), "i:" + newLin.id());
        assertThat(screenedKeys("Where did Lin use to live?", answered, "lexical")).startsWith("i:" + oldZhou.id());
    }

    @Test
    void a_raw_message_whose_facts_were_all_superseded_follows_but_one_with_a_current_fact_or_none_stays() {
        ChatMessage hangzhou = sayAt("小林", "我住在杭州，离西湖不远", 0);
        ChatMessage both = sayAt("小林", "我住在苏州，最喜欢的水果是芒果", 1);
        ChatMessage chat = sayAt("小林", "周末去西湖玩", 2);
        ChatMessage shenzhen = sayAt("小林", "我搬到深圳了", 3);
        StoredMemory oldCity = fact("小林住在杭州", hangzhou);
        StoredMemory midCity = fact("小林住在苏州", both, oldCity);
        fact("小林最喜欢的水果是芒果", both);
        fact("小林搬到深圳了", shenzhen, midCity);
        Map<String, List<Candidate>> answered = Map.of(
                "lexical", List.of(raw(hangzhou), raw(both), raw(chat), raw(shenzhen)),
                "vector", List.of(raw(hangzhou), raw(shenzhen)));

        assertThat(screenedKeys("我现在住在哪里？", answered, "lexical")).containsExactly(
                "m:" + both.id(), "m:" + chat.id(), "m:" + shenzhen.id(), "m:" + hangzhou.id());
        assertThat(screenedKeys("我现在住在哪里？", answered, "vector")).containsExactly(
                "m:" + shenzhen.id(), "m:" + hangzhou.id());
        assertThat(screenedKeys("我以前住在哪里？", answered, "vector")).containsExactly(
                "m:" + hangzhou.id(), "m:" + shenzhen.id());
        RecallScreen.Screened now = screen.screened(RecallQuery.of("g", "我现在住在哪里？", Set.of(), T0), answered);
        assertThat(now.stale()).containsExactly("m:" + hangzhou.id());
        assertThat(screen.screened(RecallQuery.of("g", "我以前住在哪里？", Set.of(), T0), answered).stale()).isEmpty();
        // fusion ranks the stale items after the current ones too: a list where only the stale message answered
        assertThat(RecallScreen.currentFirst(List.of("m:" + hangzhou.id(), "i:9", "m:" + shenzhen.id()), now.stale(),
                k -> k)).containsExactly("i:9", "m:" + shenzhen.id(), "m:" + hangzhou.id());
    }

    @Test
    void stale_candidates_follow_questions_and_the_screen_reads_nothing_when_no_candidate_is_a_message_or_memory() {
        ChatMessage hangzhou = sayAt("小林", "我住在杭州", 0);
        ChatMessage question = sayAt("阿哲", "深圳好玩吗？", 1);
        ChatMessage shenzhen = sayAt("小林", "我搬到深圳了", 2);
        fact("小林搬到深圳了", shenzhen, fact("小林住在杭州", hangzhou));
        Map<String, List<Candidate>> answered = Map.of("lexical", List.of(raw(hangzhou), raw(question), raw(shenzhen)));

        assertThat(screenedKeys("小林住在哪里", answered, "lexical")).containsExactly(
                "m:" + shenzhen.id(), "m:" + question.id(), "m:" + hangzhou.id());
        RecallScreen unread = new RecallScreen(ids -> List.of(), ids -> {
            throw new AssertionError("memories looked up");
        }, ids -> {
            throw new AssertionError("messages' memories looked up");
        });
        Candidate graph = new Candidate("g:7", "小林住在杭州", 1, List.of(hangzhou.id()), T0);
        assertThat(unread.screen(RecallQuery.of("g", "小林住在哪里", Set.of(), T0), Map.of("graph", List.of(graph))))
                .containsEntry("graph", List.of(graph));
    }

}
