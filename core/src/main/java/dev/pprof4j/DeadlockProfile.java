package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@code goroutineleak}: Go 1.26's goroutines blocked forever, as the JVM can
 * tell them honestly: platform threads in a deadlock, each waiting for a
 * monitor or an ownable synchronizer ({@code ReentrantLock},
 * {@code ReentrantReadWriteLock}) that another thread of the cycle holds
 * ({@code ThreadMXBean.findDeadlockedThreads}). Go's own profile finds
 * goroutines waiting on what no live goroutine can reach, which needs the
 * collector's help; what this one does not see: a thread waiting on a
 * condition, latch, queue or future that nothing will ever signal, a lost
 * {@code notify}, and virtual threads (the JVM's deadlock search covers
 * platform threads only).
 *
 * <p>Counted per stack like {@code goroutine}; {@code debug=2} is the dump of
 * the deadlocked threads with their locks and each lock's owner.
 */
final class DeadlockProfile implements NamedProfile {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int stackDepth;

    DeadlockProfile(int stackDepth) {
        this.stackDepth = stackDepth;
    }

    @Override
    public String name() {
        return "goroutineleak";
    }

    @Override
    public String description() {
        return Descriptions.of(name());
    }

    @Override
    public long count() {
        return deadlocked().length;
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() {
        return StackProfile.counts(name(), ThreadProfile.stacks(threads.getThreadInfo(deadlocked(), stackDepth)));
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out)
            throws IOException, InterruptedException {
        if (debug >= 2) {
            ThreadDump.write(threads.getThreadInfo(deadlocked(),
                    threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported()), out);
        } else {
            NamedProfile.super.writeText(debug, frameTable, out);
        }
    }

    private long[] deadlocked() {
        long[] ids = threads.isSynchronizerUsageSupported() ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
        return ids == null ? new long[0] : ids;
    }
}
