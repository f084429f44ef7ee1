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
        screen = new RecallScreen(storage.messages()::findAll);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private ChatMessage say(String userId, String name, String text) {
        return storage.messages().append(NewMessage.user("g", userId, name, text, T0));
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

}
