package dev.engram.memory.graph;

import dev.engram.app.DefaultSettings;
import dev.engram.testing.MutableClock;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.engram.llm.LlmClient;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.llm.Prompts;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/**
 * A graph memory over a real SQLite file in a temp directory, with a hand-moved clock, a seeded random
 * generator and (by default) the offline LLM. {@link #restart()} closes and reopens everything from the
 * same file. Closes what it opened.
 */
final class GraphHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

    /** Lines of a synthetic chat, each about one or two recognisable topics. */
    static final List<String> LINES = List.of(
            "我下周要去杭州旅游，想去西湖划船",
            "杭州的西湖边上有很多好吃的餐厅",
            "我对花生过敏，吃东西要特别小心",
            "我家的猫叫橘子，最近总是掉毛",
            "周末打算去爬黄山，听说日出很美",
            "我在学弹吉他，每天练习一个小时",
            "公司下个月要搬到上海浦东",
            "我妹妹明年要考研究生，压力很大");

    final Path dir;
    final MutableClock clock = new MutableClock(T0);
    final GraphSettings settings;
    final LlmClient llm;
    Storage storage;
    GraphMemory graph;
    private long seed = 42;

    GraphHarness(Path dir) {
        this(dir, defaults().build(), new OfflineLlmClient());
    }

    GraphHarness(Path dir, GraphSettings settings, LlmClient llm) {
        this.dir = dir;
        this.settings = settings;
        this.llm = llm;
        open();
    }

    /** The defaults in UTC, so rendered times are predictable. */
    static GraphSettings.Builder defaults() {
        return DefaultSettings.graph().toBuilder().zone(ZoneOffset.UTC);
    }

    private void open() {
        storage = SqliteStorage.open(dir, 5_000);
        graph = GraphMemory.open(storage, llm, Prompts.loadDefault(), settings, clock, new Random(seed++));
    }

    /** Closes the database and opens everything again from the file, as after a process restart. */
    void restart() {
        storage.close();
        open();
    }

    ChatMessage say(String chatId, String user, String text, Instant at) {
        return storage.messages().append(NewMessage.user(chatId, user, user, text, at));
    }

    /**
     * A message every {@code every}, cycling through {@link #LINES}, from {@code from} until {@code until}.
     */
    List<ChatMessage> history(String chatId, Instant from, Instant until, Duration every) {
        List<ChatMessage> out = new ArrayList<>();
        int i = 0;
        for (Instant t = from; t.isBefore(until); t = t.plus(every), i++) {
            out.add(say(chatId, i % 2 == 0 ? "小林" : "小王", LINES.get(i % LINES.size()), t));
        }
        return out;
    }

    int memorized(long messageId) {
        return storage.messages().find(messageId).orElseThrow().memorizedTimes();
    }

    @Override
    public void close() {
        storage.close();
    }
}
