package dev.pprof4j;

import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The JVM's own memory figures: the live heap that the heap profile shares
 * out, and the trailer of its text form, where Go prints
 * {@code runtime.MemStats}.
 */
final class JvmMemory {

    private JvmMemory() {
    }

    /**
     * Heap bytes in use right after the most recent collection (all heap
     * pools, as the collector reported them), or the heap in use now if no
     * collection has run yet. It still holds garbage the last collection did
     * not reach, such as an old generation a young collection left alone.
     */
    static long liveHeap() {
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        com.sun.management.GcInfo latest = null;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof com.sun.management.GarbageCollectorMXBean) {
                com.sun.management.GcInfo info = ((com.sun.management.GarbageCollectorMXBean) collector).getLastGcInfo();
                if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) {
                    latest = info;
                }
            }
        }
        if (latest == null) {
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : latest.getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        return used;
    }

    /**
     * {@code # Name = value} lines: heap and non-heap, each pool, each collector, allocation totals. The
     * live heap the estimate shared out is not among them: the profile's own comment gives the figure it
     * used, which a second reading here could contradict.
     */
    static void writeTrailer(PrintWriter out) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        out.print("# jvm.MemoryMXBean\n");
        out.print("# HeapUsed = " + heap.getUsed() + "\n");
        out.print("# HeapCommitted = " + heap.getCommitted() + "\n");
        out.print("# HeapMax = " + heap.getMax() + "\n");
        out.print("# NonHeapUsed = " + nonHeap.getUsed() + "\n");
        out.print("# NonHeapCommitted = " + nonHeap.getCommitted() + "\n");
        out.print("# jvm.MemoryPoolMXBean (used / committed / max; after last GC)\n");
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage usage = pool.getUsage();
            MemoryUsage afterGc = pool.getCollectionUsage();
            out.print("# " + pool.getName() + " = " + usage.getUsed() + " / " + usage.getCommitted() + " / "
                    + usage.getMax() + (afterGc == null ? "" : "; " + afterGc.getUsed()) + "\n");
        }
        out.print("# jvm.GarbageCollectorMXBean (collections / total ms)\n");
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.print("# " + collector.getName() + " = " + collector.getCollectionCount() + " / "
                    + collector.getCollectionTime() + "\n");
        }
        com.sun.management.ThreadMXBean threads = allocationCounters();
        if (threads != null) {
            long allocated = 0;
            for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                allocated += Math.max(bytes, 0);
            }
            out.print("# jvm.ThreadMXBean\n");
            out.print("# AllocatedBytesOfLiveThreads = " + allocated + "\n");
        }
    }

    /** The JVM's exact per-thread allocation counters, or null where it keeps none. */
    static com.sun.management.ThreadMXBean allocationCounters() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean) {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            if (threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled()) {
                return threads;
            }
        }
        return null;
    }
}
