package dev.engram.app;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.sun.management.GarbageCollectorMXBean;
import com.sun.management.GcInfo;
import com.sun.management.UnixOperatingSystemMXBean;

/**
 * The {@code jvm} section of {@code GET /api/status}: heap in use now and after the last garbage collection,
 * live platform threads and open file descriptors, read from the platform MX beans on each call.
 *
 * <p>Heap after GC is the sum, over the heap pools, of their usage right after the most recent collection of
 * the young generation (young, mixed or full: {@link GcInfo#getMemoryUsageAfterGc()} of the collector that ended
 * last among those managing more than one heap pool). That counts the old generation after a young collection
 * too, which the pools' own {@link MemoryPoolMXBean#getCollectionUsage()} does not (G1 updates the old pool's
 * only on mixed and concurrent cycles). A collector of a single pool is skipped: G1's concurrent cycle reports
 * its remark and cleanup pauses with eden as it stands, which would read as a heap full of garbage. The pools'
 * collection usage is the fallback when no collector reports one. -1 when a figure cannot be read.
 */
final class JvmStatus {
    private JvmStatus() {
    }

    /** @return {@code heap_used_bytes}, {@code heap_after_gc_bytes}, {@code heap_max_bytes}, {@code gc_count}, {@code threads}, {@code open_fds} */
    static Map<String, Object> snapshot() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("heap_used_bytes", heap.getUsed());
        s.put("heap_after_gc_bytes", heapAfterGc());
        s.put("heap_max_bytes", heap.getMax());
        s.put("gc_count", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(g -> Math.max(0, g.getCollectionCount())).sum());
        s.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        s.put("open_fds", openFileDescriptors());
        return s;
    }

    /** @return heap in use after the most recent young, mixed or full collection, in bytes (0 before the first one) */
    static long heapAfterGc() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        Set<String> heapPools = pools.stream().filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        GcInfo last = null;
        for (java.lang.management.GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(bean instanceof GarbageCollectorMXBean gc)) continue;
            if (Arrays.stream(gc.getMemoryPoolNames()).filter(heapPools::contains).count() < 2) continue;
            GcInfo info = gc.getLastGcInfo();
            if (info != null && (last == null || info.getEndTime() > last.getEndTime())) last = info;
        }
        if (last != null) {
            return last.getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
        }
        return pools.stream().filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getCollectionUsage)
                .filter(u -> u != null).mapToLong(MemoryUsage::getUsed).sum();
    }

    private static long openFileDescriptors() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : -1;
    }
}
