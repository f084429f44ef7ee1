package dev.engram.memory.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.engram.store.EmbeddingRepository.Kind;

/** The durable low-water mark: lowered before a write, raised by a commit only past what that commit holds. */
class PendingMarkTest {
    @TempDir
    Path dir;

    @Test
    void a_commit_raises_the_mark_only_past_writes_it_made_durable() throws Exception {
        PendingMark mark = PendingMark.load(dir);
        assertThat(mark.pending()).isFalse();

        long a = mark.enter(List.of(message(50), message(51)));
        assertThat(PendingMark.load(dir).message()).as("durable before the write").isEqualTo(50);
        mark.written(a, 10);
        long b = mark.enter(List.of(message(7), memory(3))); // a lagging chat, far below
        assertThat(PendingMark.load(dir).message()).isEqualTo(7);
        assertThat(PendingMark.load(dir).memory()).isEqualTo(3);

        mark.committed(12); // holds a; b is still being written
        assertThat(PendingMark.load(dir).message()).isEqualTo(7);
        mark.written(b, 13);
        mark.committed(12);
        assertThat(PendingMark.load(dir).message()).as("b completed after the commit point").isEqualTo(7);
        mark.committed(13);
        PendingMark reloaded = PendingMark.load(dir);
        assertThat(reloaded.message()).isEqualTo(PendingMark.NONE);
        assertThat(reloaded.memory()).isEqualTo(PendingMark.NONE);
    }

    @Test
    void what_the_last_run_left_stays_pinned_until_a_load_unpins_it() throws Exception {
        PendingMark first = PendingMark.load(dir);
        first.enter(List.of(message(40)));
        PendingMark second = PendingMark.load(dir); // after a crash
        second.committed(100); // e.g. a close before the catch-up ran
        assertThat(PendingMark.load(dir).message()).isEqualTo(40);
        second.pin(20, 5);
        assertThat(PendingMark.load(dir).message()).isEqualTo(20);
        second.unpin();
        second.committed(101);
        assertThat(PendingMark.load(dir).pending()).isFalse();
    }

    @Test
    void an_unreadable_mark_catches_up_from_the_start() throws Exception {
        Files.writeString(dir.resolve(PendingMark.FILE), "message=garbage\nmemory=12\n");
        PendingMark mark = PendingMark.load(dir);
        assertThat(mark.message()).isZero();
        assertThat(mark.memory()).isEqualTo(12);
    }

    private static IndexItem message(long id) {
        return new IndexItem(Kind.MESSAGE, id, "c", "t", "t", "t", List.of(id), Instant.EPOCH);
    }

    private static IndexItem memory(long id) {
        return new IndexItem(Kind.MEMORY, id, "c", "t", "t", "t", List.of(), Instant.EPOCH);
    }
}
