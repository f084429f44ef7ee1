package dev.engram.memory.cluster;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.engram.app.DefaultSettings;
import dev.engram.llm.Prompts;
import dev.engram.llm.offline.OfflineLlmClient;
import dev.engram.memory.ChatLocks;
import dev.engram.memory.graph.GraphMemory;
import dev.engram.memory.manage.MemoryAdmin;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.RecallCache;
import dev.engram.memory.recall.RecallScreen;
import dev.engram.memory.vector.HashingEmbedder;
import dev.engram.memory.vector.LuceneMemoryIndex;
import dev.engram.model.ChatMessage;
import dev.engram.model.Memory;
import dev.engram.model.NewMessage;
import dev.engram.model.Recall;
import dev.engram.model.StoredMemory;
import dev.engram.store.MemoryRepository.NewMemory;
import dev.engram.store.Storage;
import dev.engram.store.postgres.PostgresStorage;
import dev.engram.store.postgres.TestPostgres;
import dev.engram.task.MemoryTask;
import dev.engram.text.TextSimilarity;

/**
 * One instance of a test cluster: its own pool on the shared PostgreSQL schema (named as the instance), its own
 * index directory, graph snapshot and recall cache, the follower of the change feed, and recall through the cache
 * as the task engine uses it. Writes go the way the store pipeline and the admin go.
 */
final class ClusterNode implements AutoCloseable {
    final String id;
    final PostgresStorage.Cluster db;
    final LuceneMemoryIndex index;
    final GraphMemory graph;
    final RecallCache cache;
    final ChatLocks locks = new ChatLocks(16);
    final ChangeFollower follower;
    final MemoryAdmin admin;
    private final FusedRecall recall;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Clock clock = Clock.systemUTC();

    ClusterNode(TestPostgres pg, String id, Path indexDir) throws Exception {
        this.id = id;
        this.db = PostgresStorage.openCluster(pg.url(), pg.user(), pg.password(), 4, id);
        Storage s = db.storage();
        this.index = LuceneMemoryIndex.openDeferred(indexDir, DefaultSettings.vector(), new HashingEmbedder(), s,
                s.memories()::after, clock, new PrintStream(OutputStream.nullOutputStream()));
        this.cache = DefaultSettings.recallCache(clock);
        this.graph = GraphMemory.open(s, new OfflineLlmClient(), Prompts.loadDefault(), DefaultSettings.graph(), clock,
                new Random(7), (version, chats) -> chats.forEach(cache::invalidate));
        this.recall = new FusedRecall(List.of(index.lexicalSource(), index.vectorSource()), null, executor, clock,
                DefaultSettings.recall(), cache,
                new RecallScreen(s.messages()::findAll, s.memories()::findAll, s.memories()::writtenFrom));
        this.admin = new MemoryAdmin(s, index, graph, index, cache, locks, clock, false);
        this.follower = new ChangeFollower(db.changes(), index, graph, cache, locks, clock,
                new ChangeFollower.Settings(id, Duration.ofMillis(200), Duration.ofSeconds(30), 100, Duration.ofDays(1),
                        Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(200)));
        follower.start(); // before the index's load, as the module does
        index.startCatchUp(locks);
        if (!index.catchUp().await(Duration.ofSeconds(30))) throw new IllegalStateException("index load did not end");
    }

    /** A user message, stored and indexed as the store pipeline does. */
    ChatMessage say(String chat, String user, String text) throws Exception {
        ChatMessage m = db.storage().messages().append(NewMessage.user(chat, "u-" + user, user, text, Instant.now()));
        index.indexMessages(List.of(m));
        return m;
    }

    /** An instant memory (superseding some), stored and indexed as the store pipeline does. */
    StoredMemory remember(String chat, String text, List<Long> supersedes) throws Exception {
        StoredMemory m = db.storage().memories().insert(new NewMemory(chat, text, List.of(), List.of(), Instant.now(),
                TextSimilarity.contentHash(text), null, Set.of()), supersedes);
        index.indexMemories(List.of(m));
        return m;
    }

    /** Recall as the task engine serves it: from the cache when it holds the query at the chat's version. */
    List<String> recall(String chat, String query) {
        MemoryTask.Retrieve task = new MemoryTask.Retrieve(chat, query, Set.of(), Instant.now().plusSeconds(5), 0);
        Recall hit = cache.get(task);
        if (hit == null) {
            long version = cache.version(chat);
            hit = recall.recall(chat, query, Set.of(), task.deadline());
            cache.put(task, version, hit);
        }
        return hit.memories().stream().map(Memory::text).toList();
    }

    @Override
    public void close() throws Exception {
        follower.close();
        index.close();
        executor.shutdown();
        db.storage().close();
    }
}
