package dev.engram.bench.chaos;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chat ids for the isolation run: near-collisions a lossy or normalising server would merge (case, NFC vs
 * NFD, full-width, zero-width and bidi characters, surrounding spaces, {@code ?} vs U+FFFD), invalid
 * Unicode (lone surrogates, which must be refused), path and query syntax, the length limit, then random
 * ids drawn from many scripts. Deterministic for a seed.
 */
final class OddIds {
    static final List<String> FIXED = List.of("iso", "ISO", "Iso", "iso ", " iso", "iso\t", "ｉｓｏ", "iso\u200b",
            "\u200biso", "iso\u2060", "\u202eiso", "iso\u00ad", "caf\u00e9", "cafe\u0301", "Å", "A\u030a", "\u212b",
            "ﬁ", "fi", "群聊", "群聊 ", "羣聊", "😀", "😀😀", "👨\u200d👩\u200d👧", "👨👩👧", "?", "??", "\ufffd",
            "\ud800", "\ud800a", "a\ud800", "\udfff", "\udc00\ud800", "\ud83d", "chat/1", "chat%2F1", "../chat",
            "chat?x=1", "chat#1", "chat\\1", "chat\"1", "chat\n1", "chat\u0000", "default", "1", "01", "1.0",
            "x".repeat(128), "x".repeat(129), "ı", "i", "İ", "ß", "ss", "Σ", "σ", "ς");
    private static final int[][] SCRIPTS = {{0x41, 0x5a}, {0x61, 0x7a}, {0x391, 0x3c9}, {0x410, 0x44f}, {0x5d0, 0x5ea},
        {0x627, 0x64a}, {0x905, 0x939}, {0x3041, 0x3096}, {0x4e00, 0x9fa5}, {0xac00, 0xd7a3}, {0x1f600, 0x1f64f},
        {0x300, 0x36f}, {0x1d400, 0x1d7ff}};

    private OddIds() {
    }

    /** @return {@code n} distinct ids: the fixed ones first, then random ones */
    static List<String> ids(int n, long seed) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (String id : FIXED) {
            if (ids.size() == n) break;
            ids.add(id);
        }
        SplittableRandom r = new SplittableRandom(seed);
        while (ids.size() < n) {
            StringBuilder b = new StringBuilder();
            int len = 1 + r.nextInt(12);
            for (int i = 0; i < len; i++) {
                int[] script = SCRIPTS[r.nextInt(SCRIPTS.length)];
                b.appendCodePoint(script[0] + r.nextInt(script[1] - script[0] + 1));
            }
            ids.add(b.toString());
        }
        return new ArrayList<>(ids);
    }
}
