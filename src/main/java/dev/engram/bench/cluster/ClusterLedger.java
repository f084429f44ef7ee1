package dev.engram.bench.cluster;

import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every item the cluster bench sent: a message ({@code POST /api/message} with its own {@code message_id})
 * or a memory ({@code POST /api/memory}), each carrying a unique token of ten lower-case letters between
 * Chinese text, so it can be counted in the database and found by search. An item is acknowledged once a 2xx
 * came back; an item in flight to an instance that was killed has an unknown fate and is not counted.
 * Thread-safe.
 */
final class ClusterLedger {
    enum Kind { MESSAGE, MEMORY }

    /** One item; {@code acknowledged} and {@code memoryMs} are set once, by the sending thread. */
    static final class Item {
        final Kind kind;
        final String chat;
        final String token;
        final int instance;
        final boolean afterKill;
        /** Sent after the warm-up: its latency counts. */
        final boolean measured;
        private final String text;
        volatile boolean acknowledged;
        volatile double memoryMs = -1;

        Item(Kind kind, String chat, String token, int instance, boolean afterKill, boolean measured, String filler) {
            this.kind = kind;
            this.measured = measured;
            this.text = kind == Kind.MESSAGE ? "群聊消息：" + filler + " " + token + " " + filler.substring(4)
                    : "记住：" + filler + " " + token + " " + filler.substring(4);
            this.chat = chat;
            this.token = token;
            this.instance = instance;
            this.afterKill = afterKill;
        }

        /** Random Chinese characters around the token, so no two items are near-duplicates (which memory rightly stores once). */
        String text() {
            return text;
        }
    }

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz";
    private final ConcurrentLinkedQueue<Item> items = new ConcurrentLinkedQueue<>();
    private final SplittableRandom random;

    ClusterLedger(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Records a new item (before it is sent). */
    synchronized Item next(Kind kind, String chat, int instance, boolean afterKill, boolean measured) {
        StringBuilder token = new StringBuilder(10);
        for (int i = 0; i < 10; i++) token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        StringBuilder filler = new StringBuilder();
        for (int i = 0; i < 8; i++) filler.appendCodePoint(0x4e00 + random.nextInt(0x51a5));
        Item item = new Item(kind, chat, token.toString(), instance, afterKill, measured, filler.toString());
        items.add(item);
        return item;
    }

    Collection<Item> all() {
        return List.copyOf(items);
    }

    List<Item> acknowledged() {
        return items.stream().filter(i -> i.acknowledged).toList();
    }
}
