package dev.engram.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The {@code jvm} status section reads this JVM's heap after GC, threads and file descriptors. */
class JvmStatusTest {
    @Test
    void heap_after_gc_reflects_a_collection_and_threads_and_descriptors_are_counted() throws Exception {
        List<byte[]> retained = new ArrayList<>();
        for (int i = 0; i < 64; i++) retained.add(new byte[1 << 20]); // 64 MiB that survive the collection
        System.gc();
        Map<String, Object> s = JvmStatus.snapshot();

        long afterGc = (Long) s.get("heap_after_gc_bytes");
        assertThat(afterGc).isGreaterThanOrEqualTo(64L << 20).isLessThanOrEqualTo((Long) s.get("heap_max_bytes"));
        assertThat((Long) s.get("gc_count")).isPositive();
        assertThat((Integer) s.get("threads")).isPositive();
        assertThat((Long) s.get("open_fds")).isPositive();
        assertThat(retained).hasSize(64);

        retained.clear();
        System.gc();
        assertThat(JvmStatus.heapAfterGc()).as("the 64 MiB were freed").isLessThan(afterGc - (32L << 20));
    }
}
