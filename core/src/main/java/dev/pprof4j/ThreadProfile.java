package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code goroutine}: the JVM's live threads, by stack. Go's goroutines are
 * the JVM's threads, its virtual threads most closely; the name stays so
 * every pprof client finds the profile where it looks for it.
 *
 * <p>Platform threads come from {@code ThreadMXBean}; on JDK 21 and later,
 * virtual threads from the JVM's own thread dump ({@link VirtualThreadDump}),
 * so a service with thousands of requests parked on virtual threads shows
 * them at the stack they wait in, under {@code java.lang.VirtualThread.run}.
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
        long[] virtual = new long[1];
        VirtualThreadDump.forEach(thread -> virtual[0]++);
        return threads.getThreadCount() + virtual[0];
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() {
        List<LabelledStack> stacks = stacks(threads.dumpAllThreads(false, false, stackDepth));
        // A virtual thread's frames are shared with thousands of others: each is made once.
        Map<StackTraceElement, Frame> frames = new HashMap<>();
        VirtualThreadDump.forEach(thread -> stacks.add(new LabelledStack(thread.stack().stream().limit(stackDepth)
                .map(element -> frames.computeIfAbsent(element, Frame::of)).toList(), PprofLabels.of(thread.id()))));
        return StackProfile.counts(name(), stacks);
    }

    /**
     * The stacks of the threads {@code infos} describes, leaf first, with each thread's labels now; a thread
     * that has ended has none.
     */
    static List<LabelledStack> stacks(ThreadInfo[] infos) {
        List<LabelledStack> stacks = new ArrayList<>();
        for (ThreadInfo info : infos) {
            if (info != null) {
                stacks.add(new LabelledStack(Arrays.stream(info.getStackTrace()).map(Frame::of).toList(),
                        PprofLabels.of(info.getThreadId())));
            }
        }
        return stacks;
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out)
            throws IOException, InterruptedException {
        if (debug >= 2) {
            ThreadDump.write(threads.dumpAllThreads(
                    threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported()), out);
            VirtualThreadDump.forEach(thread -> ThreadDump.write(thread, out));
        } else {
            NamedProfile.super.writeText(debug, frameTable, out);
        }
    }
}
