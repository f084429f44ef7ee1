package dev.engram.bench.chaos;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the load clients sent, item by item: a message ({@code POST /api/message} with its own
 * {@code message_id}) or a memory ({@code POST /api/memory}), each carrying a unique random token of ten
 * lower-case letters, so it can be found in the database and by recall, between random Chinese characters,
 * so no two items are near-duplicates (which instant memory would rightly store once). An item is acknowledged once a 2xx
 * came back; until then its fate is unknown (in flight when the server died). Thread-safe.
 */
final class Ledger {
    enum Kind { MESSAGE, MEMORY }

    /** One item; {@code acknowledged} flips once. */
    static final class Item {
        final Kind kind;
        final String chat;
        final String token;
        final String messageId;
        final String text;
        private volatile boolean acknowledged;

        Item(Kind kind, String chat, String token, String messageId, String text) {
            this.kind = kind;
            this.chat = chat;
            this.token = token;
            this.messageId = messageId;
            this.text = text;
        }

        boolean acknowledged() {
            return acknowledged;
        }

        void acknowledge() {
            acknowledged = true;
        }
    }

    private final Map<String, Item> byToken = new ConcurrentHashMap<>();
    private final SplittableRandom seeds;

    Ledger(long seed) {
        this.seeds = new SplittableRandom(seed);
    }

    /** @return a random source for one client, derived from the run's seed */
    synchronized SplittableRandom split() {
        return seeds.split();
    }

    /** Records a new item with a token drawn from {@code random} (unique in this ledger). */
    Item add(Kind kind, String chat, SplittableRandom random, int round) {
        while (true) {
            String token = token(random);
            String messageId = kind == Kind.MESSAGE ? "chaos-" + round + "-" + token : null;
            // random Chinese filler: no two items are near-duplicates, so the memory de-duplication keeps each one
            String text = kind == Kind.MESSAGE ? "第" + round + "轮：" + filler(random) + " " + token + " " + filler(random)
                    : "记住：" + filler(random) + " " + token + " " + filler(random);
            Item item = new Item(kind, chat, token, messageId, text);
            if (byToken.putIfAbsent(token, item) == null) return item;
        }
    }

    /**
     * Eight random Chinese characters, none of them a question word or particle: a filler holding 谁 or ending in
     * 吗 would make the item a question, which memory rightly never stores as a fact, and the audit would count it
     * as lost.
     */
    static String filler(SplittableRandom random) {
        StringBuilder b = new StringBuilder();
        while (b.length() < 8) {
            int c = 0x4e00 + random.nextInt(0x51a5);
            if (QUESTION_CHARS.indexOf(c) < 0) b.appendCodePoint(c);
        }
        return b.toString();
    }

    /** Characters the question and small-talk rules of {@code text.Utterances} read as asking. */
    private static final String QUESTION_CHARS = "谁吗嘛么呢几哪啥怎多少为何";

    static String token(SplittableRandom random) {
        char[] c = new char[10];
        for (int i = 0; i < c.length; i++) c[i] = (char) ('a' + random.nextInt(26));
        return new String(c);
    }

    Item find(String token) {
        return byToken.get(token);
    }

    Collection<Item> all() {
        return byToken.values();
    }

    List<Item> acknowledged() {
        return byToken.values().stream().filter(Item::acknowledged).toList();
    }

    /** @return messages sent whose outcome is unknown: these may be delivered again with the same id */
    List<Item> unknownMessages() {
        return byToken.values().stream().filter(i -> !i.acknowledged() && i.kind == Kind.MESSAGE).toList();
    }
}
