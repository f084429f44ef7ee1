package dev.engram.memory.graph;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engram.model.ChatMessage;
import dev.engram.store.MessageRepository;

/**
 * Picks the messages a build memorises (the original's {@code random_get_msg_snippet}, §2.3 step 2).
 *
 * <p>For a sampled time t: the window is [t, t + rand(minWindow..maxWindow)]; the earliest message in it
 * (any chat) chooses the chat; the snippet is up to {@code sampleLength} of that chat's earliest
 * messages in the window. If any of them has been memorised {@code maxMemorizedTimes} times (counting
 * the snippets this build already took), the snippet is rejected and t moves back by {@code retryShift};
 * after {@code snippetTries} tries the time yields nothing. The increments themselves are written later,
 * one statement per snippet, in the transaction that stores the snippet's memories.
 *
 * <p>Read-only against the database. Thread-safe; the caller owns the {@code pending} map.
 */
final class SnippetSampler {
    private static final Logger log = LoggerFactory.getLogger(SnippetSampler.class);
    private static final int PAGE = 500;

    private final MessageRepository messages;
    private final GraphSettings settings;

    SnippetSampler(MessageRepository messages, GraphSettings settings) {
        this.messages = messages;
        this.settings = settings;
    }

    /**
     * @param pending how often this build already took each message; updated when a snippet is returned
     */
    Optional<Snippet> sample(Instant t, Instant now, RandomGenerator random, Map<Long, Integer> pending) {
        Instant start = t;
        for (int attempt = 0; attempt < settings.snippetTries(); attempt++, start = start.minus(settings.retryShift())) {
            long span = random.nextLong(settings.minWindow().toSeconds(), settings.maxWindow().toSeconds() + 1);
            Instant end = start.plusSeconds(span);
            List<ChatMessage> first = messages.betweenAnyChat(start, end, 1);
            if (first.isEmpty()) continue;
            List<ChatMessage> found = messages.between(first.getFirst().chatId(), start, end, settings.sampleLength());
            boolean exhausted = found.stream().anyMatch(m ->
                    m.memorizedTimes() + pending.getOrDefault(m.id(), 0) >= settings.maxMemorizedTimes());
            if (exhausted) continue;
            found.forEach(m -> pending.merge(m.id(), 1, Integer::sum));
            double hours = Duration.between(start, now).toMillis() / 3_600_000.0;
            log.info("成功抽取 {} 小时前的消息样本，共{}条", String.format("%.1f", hours), found.size());
            return Optional.of(new Snippet(first.getFirst().chatId(), found));
        }
        return Optional.empty();
    }

    /**
     * A chat's whole history before {@code until} as snippets, for building memory of imported
     * conversations: consecutive messages below the memorised limit, cut where the chat was silent
     * longer than {@code maxWindow} or a snippet reached {@code sampleLength} messages.
     */
    List<Snippet> history(String chatId, Instant until) {
        List<Snippet> out = new ArrayList<>();
        List<ChatMessage> current = new ArrayList<>();
        Instant cursor = Instant.EPOCH;
        Set<Long> seenAtCursor = new HashSet<>();
        while (true) {
            List<ChatMessage> page = messages.between(chatId, cursor, until, PAGE);
            List<ChatMessage> fresh = page.stream().filter(m -> !seenAtCursor.contains(m.id())).toList();
            if (fresh.isEmpty()) {
                if (page.size() < PAGE) break;
                cursor = cursor.plusMillis(1); // more than a page of messages share one millisecond
                seenAtCursor.clear();
                continue;
            }
            for (ChatMessage m : fresh) {
                if (m.memorizedTimes() >= settings.maxMemorizedTimes()) {
                    flush(chatId, current, out);
                    continue;
                }
                if (!current.isEmpty() && (current.size() >= settings.sampleLength()
                        || Duration.between(current.getLast().createdAt(), m.createdAt()).compareTo(settings.maxWindow()) > 0)) {
                    flush(chatId, current, out);
                }
                current.add(m);
            }
            Instant last = fresh.getLast().createdAt();
            if (!last.equals(cursor)) {
                seenAtCursor.clear();
                cursor = last;
            }
            for (ChatMessage m : fresh) if (m.createdAt().equals(last)) seenAtCursor.add(m.id());
            if (page.size() < PAGE) break;
        }
        flush(chatId, current, out);
        return out;
    }

    private static void flush(String chatId, List<ChatMessage> current, List<Snippet> out) {
        if (!current.isEmpty()) out.add(new Snippet(chatId, current));
        current.clear();
    }
}
