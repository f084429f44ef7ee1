package dev.engram.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.chat.ChatMemory;
import dev.engram.memory.Candidate;
import dev.engram.model.Memory;
import dev.engram.model.Recall;
import dev.engram.model.RecallStatus;
import dev.engram.memory.StorePipeline;
import dev.engram.memory.recall.FusedRecall;
import dev.engram.memory.recall.LlmRecall;
import dev.engram.memory.recall.RecallQuery;
import dev.engram.model.ChatMessage;
import dev.engram.model.Intake;
import dev.engram.model.NewMessage;
import dev.engram.store.Storage;
import dev.engram.task.MemoryTask;
import dev.engram.task.TaskHandler;

/**
 * The benchmark baseline ({@code chat.memory_mode = "blocking"}): the seed note's "before" picture,
 * never used by the async path. Every store runs the store pipeline (with its LLM calls) inline
 * before the caller continues; recall calls the LLM inline and waits for it without a deadline;
 * both hold the read side of a lock whose write side the graph build holds for its whole run
 * ({@link #exclusive}), as the original's build blocked its single event loop. Loaded only when
 * configured. Thread-safe.
 */
public final class BlockingChatMemory implements ChatMemory {
    private static final Logger log = LoggerFactory.getLogger(BlockingChatMemory.class);
    private static final Duration NO_DEADLINE = Duration.ofHours(1);

    private final Storage storage;
    private final StorePipeline pipeline;
    private final FusedRecall recall;
    private final LlmRecall llm;
    private final ReadWriteLock buildLock = new ReentrantReadWriteLock();

    /** @param llm the LLM-assisted recall called inline, or {@code null} for none */
    public BlockingChatMemory(Storage storage, StorePipeline pipeline, FusedRecall recall, LlmRecall llm) {
        this.storage = storage;
        this.pipeline = pipeline;
        this.recall = recall;
        this.llm = llm;
    }

    /** The build handler holding the write side of the lock: messages wait while it runs. */
    public TaskHandler<MemoryTask.Build> exclusive(TaskHandler<MemoryTask.Build> build) {
        return (task, ctx) -> {
            buildLock.writeLock().lock();
            try {
                log.info("记忆构建（阻塞基线）：消息处理暂停");
                build.handle(task, ctx);
            } finally {
                buildLock.writeLock().unlock();
            }
        };
    }

    @Override
    public Intake intake(NewMessage message) {
        buildLock.readLock().lock();
        try {
            Intake intake = storage.inTransaction(tx -> tx.messages().appendOnce(message));
            if (intake.duplicate()) return intake;
            ChatMessage stored = intake.message();
            try {
                pipeline.store(stored.chatId(), stored.text(), List.of(stored.id()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.debug("inline store failed (baseline swallows it, as the original did): {}", e.toString());
            }
            return intake;
        } finally {
            buildLock.readLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Recall> recall(String chatId, String query, Set<Long> exclude, Instant deadline) {
        buildLock.readLock().lock();
        try {
            List<Memory> memories = new ArrayList<>();
            if (llm != null) {
                for (Candidate c : llm.curate(chatId, query).join()) {
                    memories.add(new Memory(c.text(), LlmRecall.NAME, c.score(), c.messageIds()));
                }
            }
            Instant noDeadline = Instant.now().plus(NO_DEADLINE);
            memories.addAll(recall.recall(RecallQuery.of(chatId, query, exclude, noDeadline)).memories());
            return CompletableFuture.completedFuture(new Recall(memories, RecallStatus.OK));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Recall.empty(RecallStatus.SKIPPED));
        } finally {
            buildLock.readLock().unlock();
        }
    }
}
