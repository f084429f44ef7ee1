package dev.engram.surface.onebot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;

/**
 * Which messages get an answer (after MaiBot's willingness): every private message; in a group, a message
 * that @-mentions the bot, replies to one of its messages, or calls one of its names or keywords, and
 * otherwise one with the configured probability — in a group at most {@code perMinute} answers in any
 * 60 s window (the rest are only remembered). Thread-safe; the window of a group is updated atomically with
 * the decision, so an accepted decision is counted exactly once.
 */
final class ReplyPolicy {
    private static final Duration WINDOW = Duration.ofMinutes(1);

    /** Why a message is answered or not. */
    enum Reason {
        PRIVATE, MENTIONED, REPLIED_TO, CALLED, CHANCE, NOT_ADDRESSED, RATE_LIMITED;

        boolean replies() {
            return this != NOT_ADDRESSED && this != RATE_LIMITED;
        }
    }

    private final List<String> calls; // names and keywords, lower-cased
    private final int perMinute;
    private final double probability;
    private final DoubleSupplier random;
    private final Clock clock;
    private final Map<Long, Deque<Instant>> recent = new ConcurrentHashMap<>();

    /**
     * @param perMinute   most answers per group in 60 s; 0 = no limit
     * @param probability chance of answering an unaddressed group message
     * @param random      uniform in [0, 1); injected so tests are deterministic
     */
    ReplyPolicy(List<String> names, List<String> keywords, int perMinute, double probability, DoubleSupplier random,
                Clock clock) {
        this.calls = Stream.concat(names.stream(), keywords.stream())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
        this.perMinute = perMinute;
        this.probability = probability;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Decides for one message (already rendered); an answering decision in a group takes a slot of its rate
     * window.
     *
     * @param repliesToBot its {@code reply} segment quotes a message the bot sent
     */
    Reason decide(OneBotEvent.Message m, MessageText.Rendered r, boolean repliesToBot) {
        if (!m.group()) return Reason.PRIVATE;
        Reason reason;
        if (r.mentionsSelf()) reason = Reason.MENTIONED;
        else if (repliesToBot) reason = Reason.REPLIED_TO;
        else if (called(r.text())) reason = Reason.CALLED;
        else if (probability > 0 && random.getAsDouble() < probability) reason = Reason.CHANCE;
        else return Reason.NOT_ADDRESSED;
        return takeSlot(m.groupId()) ? reason : Reason.RATE_LIMITED;
    }

    private boolean called(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String c : calls) {
            if (lower.contains(c)) return true;
        }
        return false;
    }

    private boolean takeSlot(long groupId) {
        if (perMinute == 0) return true;
        Deque<Instant> window = recent.computeIfAbsent(groupId, g -> new ArrayDeque<>());
        synchronized (window) {
            Instant now = clock.instant();
            while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(WINDOW))) window.pollFirst();
            if (window.size() >= perMinute) return false;
            window.addLast(now);
            return true;
        }
    }
}
