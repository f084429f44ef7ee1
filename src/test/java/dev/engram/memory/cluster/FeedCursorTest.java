package dev.engram.memory.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.engram.store.ChangeRow;

/** The cursor's gap rules: out-of-order commits are waited for, rolled-back numbers are given up. */
class FeedCursorTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    private static ChangeRow row(long seq) {
        return new ChangeRow(seq, ChangeRow.Kind.MESSAGE, Optional.of("c"), seq, Optional.of("x"), T);
    }

    private static List<Long> seqs(List<ChangeRow> rows) {
        return rows.stream().map(ChangeRow::seq).toList();
    }

    @Test
    void a_number_committed_late_is_taken_when_it_arrives_and_the_cursor_waits_below_it() {
        FeedCursor c = new FeedCursor(10, Duration.ofSeconds(10));
        assertThat(seqs(c.take(List.of(row(11), row(13), row(14)), () -> 500, T))).containsExactly(11L, 13L, 14L);
        assertThat(c.cursor()).isEqualTo(11);
        assertThat(c.maxSeen()).isEqualTo(14);
        assertThat(c.gaps()).containsExactly(12L);
        c.settle(499, T.plusSeconds(1)); // the transaction noticed then may still run
        assertThat(c.gaps()).containsExactly(12L);
        // the re-read brings 12 and the repeated 13 again: only 12 is new
        assertThat(seqs(c.take(List.of(row(12), row(13)), () -> 600, T.plusSeconds(2)))).containsExactly(12L);
        assertThat(c.cursor()).isEqualTo(14);
        assertThat(c.openGaps()).isZero();
    }

    @Test
    void a_gap_closes_once_every_transaction_running_at_it_ended_or_after_the_bound() {
        FeedCursor c = new FeedCursor(0, Duration.ofSeconds(10));
        c.take(List.of(row(2)), () -> 100, T);
        c.take(List.of(row(5)), () -> 200, T.plusSeconds(5));
        assertThat(c.gaps()).containsExactly(1L, 3L, 4L);
        c.settle(150, T.plusSeconds(6)); // the first gap's transactions ended: rolled back
        assertThat(c.gaps()).containsExactly(3L, 4L);
        assertThat(c.cursor()).isEqualTo(2);
        assertThat(c.rolledBack()).isEqualTo(1);
        FeedCursor before = c.copy();
        c.settle(150, T.plusSeconds(15)); // open 10 s: given up
        assertThat(c.cursor()).isEqualTo(5);
        assertThat(c.timedOut()).isEqualTo(2);
        assertThat(before.cursor()).isEqualTo(2); // a copy is independent (a failed step is undone with it)
        assertThat(before.untilTimeout(T.plusSeconds(12))).isEqualTo(Duration.ofSeconds(3));
    }
}
