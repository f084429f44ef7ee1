package dev.engram.memory.vector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.engram.memory.Candidate;
import dev.engram.memory.MemorySource;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.model.NewMessage;
import dev.engram.store.sqlite.SqliteStorage;
import dev.engram.store.Storage;

/** A real SQLite storage and index directory under a temp dir, with an in-memory list of instant memories. */
final class IndexHarness implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Instant FAR = NOW.plusSeconds(3600);

    final Path dataDir;
    final Storage storage;
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final List<StoredMemory> memories = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    IndexHarness(Path dataDir) {
        this.dataDir = dataDir;
        this.storage = SqliteStorage.open(dataDir, 5_000);
    }

    Path indexDir() {
        return dataDir.resolve(LuceneMemoryIndex.DIR_NAME);
    }

    LuceneMemoryIndex open(Embedder embedder, VectorSettings settings) throws IOException {
        StoredMemoryReader reader = (after, limit) -> memories.stream().filter(m -> m.id() > after).limit(limit).toList();
        return LuceneMemoryIndex.open(indexDir(), settings, embedder, storage, reader, clock,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    /** What progress bars drew so far. */
    String progressOutput() {
        return progress.toString(StandardCharsets.UTF_8);
    }

    ChatMessage say(String chatId, String userName, String text, Instant at) {
        return storage.messages().append(NewMessage.user(chatId, "u-" + userName, userName, text, at));
    }

    StoredMemory remember(long id, String chatId, String text, List<String> keywords, Instant at) {
        StoredMemory m = new StoredMemory(id, chatId, text, keywords, List.of(), at);
        memories.add(m);
        return m;
    }

    /** A distinct all-letter word per number (the analyzer splits digits from letters). */
    static String word(int i) {
        StringBuilder sb = new StringBuilder("zq");
        do {
            sb.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return sb.toString();
    }

    static List<String> keys(MemorySource source, String chatId, String query) throws Exception {
        return source.search(chatId, query, 10, FAR).stream().map(Candidate::key).toList();
    }

    @Override
    public void close() {
        storage.close();
    }
}
