package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code goroutine}: the JVM's live platform threads, by stack. Go's
 * goroutines are the JVM's threads; the name stays so every pprof client
 * finds the profile where it looks for it.
 *
 * <p>{@code debug=0} and {@code debug=1} count threads per distinct stack
 * (cut at the configured depth); {@code debug=2} is a full dump in the
 * spirit of {@code jstack}, see {@link ThreadDump}.
 */
final class ThreadProfile implements NamedProfile {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final int stackDepth;

    ThreadProfile(int stackDepth) {
        this.stackDepth = stackDepth;
    }

    @Override
    public String name() {
        return "goroutine";
    }

    @Override
    public String description() {
        return Descriptions.of(name());
    }

    @Override
    public long count() {
        return threads.getThreadCount();
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() {
        List<List<Frame>> stacks = new ArrayList<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false, stackDepth)) {
            if (info != null) {
                stacks.add(Arrays.stream(info.getStackTrace()).map(Frame::of).toList());
            }
        }
        return StackProfile.counts(name(), stacks);
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out)
            throws IOException, InterruptedException {
        if (debug >= 2) {
            ThreadDump.write(threads.dumpAllThreads(
                    threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported()), out);
        } else {
            NamedProfile.super.writeText(debug, frameTable, out);
        }
    }
}
