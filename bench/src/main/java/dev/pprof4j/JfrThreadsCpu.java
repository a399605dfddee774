package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/** The direct cost of sampling: CPU time of the threads JFR runs ("JFR Recorder Thread", "JFR Event Stream"...). */
final class JfrThreadsCpu {

    private JfrThreadsCpu() {
    }

    /** CPU nanoseconds used so far by the live threads whose names start with "JFR". */
    static long nanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("JFR")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
