package dev.engram.memory.vector;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import dev.engram.memory.EchoFilter;
import dev.engram.model.StoredMemory;
import dev.engram.model.ChatMessage;
import dev.engram.store.MessageRepository;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Feeds the index from the database, page by page: every message and memory after given ids that
 * is still within retention and not skipped. A full rebuild shows a progress bar when there is
 * something to rebuild; a catch-up after a reopen is silent. Not thread-safe (one run at a time,
 * on the index's loading thread).
 */
final class IndexRebuilder {
    /** Writes items into the index and says how their vectors were found. */
    @FunctionalInterface
    interface Writer {
        ItemEmbeddings.Resolved write(List<IndexItem> items) throws IOException;
    }

    /** Where pages go. */
    interface Sink extends Writer {

        /** Removes the documents of what these current memories superseded (a crash may have undone that). */
        void removeSuperseded(List<StoredMemory> superseding) throws IOException;
    }

    /** Counts of one run. */
    record Totals(long messages, long memories, long reused, long computed) {
        Totals plus(boolean message, ItemEmbeddings.Resolved r, int items) {
            return new Totals(messages + (message ? items : 0), memories + (message ? 0 : items),
                    reused + r.reused(), computed + r.computed());
        }
    }

    private final MessageRepository messages;
    private final StoredMemoryReader memories;
    private final int pageSize;
    private final PrintStream progress;

    IndexRebuilder(MessageRepository messages, StoredMemoryReader memories, int pageSize, PrintStream progress) {
        this.messages = messages;
        this.memories = memories;
        this.pageSize = pageSize;
        this.progress = progress;
    }

    /**
     * @param messagesAfter  feed messages with a greater id
     * @param memoriesAfter  feed memories with a greater id
     * @param messageCutoff  skip messages created before this (retention)
     * @param memoryCutoff   skip memories created before this
     * @param skip           keys not to feed (already indexed)
     * @param showProgress   whether to draw progress bars (full rebuilds)
     * @param progress       counts of the run so far, for status
     * @param stop           checked between pages: true ends the run early (the index is closing)
     */
    Totals run(Sink sink, long messagesAfter, long memoriesAfter, Instant messageCutoff, Instant memoryCutoff,
               Predicate<String> skip, boolean showProgress, IndexCatchUp progress, BooleanSupplier stop)
            throws IOException {
        Totals totals = new Totals(0, 0, 0, 0);
        long total = showProgress ? messages.count() : 0;
        try (ProgressBar bar = total > 0 ? bar("Rebuilding index: messages", total) : null) {
            long last = messagesAfter;
            for (List<ChatMessage> page; !stop.getAsBoolean() && !(page = messages.after(last, pageSize)).isEmpty(); ) {
                last = page.getLast().id();
                List<IndexItem> items = new ArrayList<>(page.size());
                for (ChatMessage m : page) {
                    Optional<ChatMessage> memorable = memorable(m);
                    if (memorable.isEmpty() || m.createdAt().isBefore(messageCutoff)) continue;
                    IndexItem item = IndexItem.of(memorable.get());
                    if (!skip.test(item.key())) items.add(item);
                }
                if (!items.isEmpty()) {
                    ItemEmbeddings.Resolved r = sink.write(items);
                    totals = totals.plus(true, r, items.size());
                    progress.indexed(true, r, items.size());
                }
                progress.scanned(last, page.size());
                if (bar != null) bar.stepBy(page.size());
            }
        }
        long last = memoriesAfter;
        List<StoredMemory> page = stop.getAsBoolean() ? List.of() : memories.after(last, pageSize);
        try (ProgressBar bar = showProgress && !page.isEmpty() ? bar("Rebuilding index: memories", -1) : null) {
            for (; !page.isEmpty() && !stop.getAsBoolean(); page = memories.after(last, pageSize)) {
                last = page.getLast().id();
                List<IndexItem> items = new ArrayList<>(page.size());
                List<StoredMemory> superseding = new ArrayList<>();
                for (StoredMemory m : page) {
                    if (!m.current()) continue;
                    if (!m.supersedes().isEmpty()) superseding.add(m);
                    IndexItem item = IndexItem.of(m);
                    if (!m.createdAt().isBefore(memoryCutoff) && !skip.test(item.key())) items.add(item);
                }
                if (!superseding.isEmpty()) sink.removeSuperseded(superseding);
                if (!items.isEmpty()) {
                    ItemEmbeddings.Resolved r = sink.write(items);
                    totals = totals.plus(false, r, items.size());
                    progress.indexed(false, r, items.size());
                }
                if (bar != null) bar.stepBy(page.size());
            }
        }
        return totals;
    }

    /**
     * A message as the store pipeline indexes it: a user message as it is, a bot reply without the offline
     * template (what it adds beyond its prompt's memories is only known to its store task; the full reply is the
     * closest the log keeps).
     */
    static Optional<ChatMessage> memorable(ChatMessage m) {
        if (m.role() == ChatMessage.Role.USER) return Optional.of(m);
        String text = EchoFilter.memorable(m.text(), List.of());
        return text.isBlank() ? Optional.empty() : Optional.of(new ChatMessage(m.id(), m.chatId(), m.role(), m.userId(),
                m.userName(), text, m.createdAt(), m.memorizedTimes(), m.externalId()));
    }

    private ProgressBar bar(String task, long max) {
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(progress))
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .build();
    }
}
