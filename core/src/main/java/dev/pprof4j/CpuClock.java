package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM's exact CPU-time counters, read at once: each live Java thread's
 * and the whole process's. A CPU profile's window is measured with two
 * readings; sampling then only says how each thread's time divides among
 * its stacks.
 *
 * @param processNanos CPU time of the whole process, or -1 where the JVM does not say
 * @param threadNanos CPU time per Java thread id; threads without a counter are left out
 */
record CpuClock(long processNanos, Map<Long, Long> threadNanos) {

    static CpuClock read() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> byThread = new HashMap<>();
        if (threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
            long[] ids = threads.getAllThreadIds();
            long[] nanos = threads instanceof com.sun.management.ThreadMXBean
                    ? ((com.sun.management.ThreadMXBean) threads).getThreadCpuTime(ids)
                    : perThread(threads, ids);
            for (int i = 0; i < ids.length; i++) {
                if (nanos[i] >= 0) {
                    byThread.put(ids[i], nanos[i]);
                }
            }
        }
        return new CpuClock(readProcessNanos(), byThread);
    }

    /**
     * A thread's CPU time between an earlier reading and this one, or -1 if
     * either reading lacks it (a thread that ended, or one without a counter).
     * A thread started in between counts from zero.
     */
    long threadDelta(CpuClock earlier, long threadId) {
        Long now = threadNanos.get(threadId);
        if (now == null) {
            return -1;
        }
        return now - earlier.threadNanos.getOrDefault(threadId, 0L);
    }

    private static long[] perThread(ThreadMXBean threads, long[] ids) {
        long[] nanos = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            nanos[i] = threads.getThreadCpuTime(ids[i]);
        }
        return nanos;
    }

    private static long readProcessNanos() {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) system).getProcessCpuTime();
        }
        return -1;
    }
}
