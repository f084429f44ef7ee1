package dev.engram.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.engram.text.Utterances;

class LedgerTest {
    @Test
    void memory_items_always_state_something_so_memory_keeps_them() {
        Ledger ledger = new Ledger(7);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            Ledger.Item item = ledger.add(Ledger.Kind.MEMORY, "c", random, 0);
            assertThat(Utterances.isNotAFact(item.text)).as(item.text).isFalse();
            assertThat(Utterances.isQuestion(item.text)).as(item.text).isFalse();
        }
    }
}
