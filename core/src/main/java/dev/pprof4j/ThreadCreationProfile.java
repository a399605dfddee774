package dev.pprof4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;

/**
 * {@code threadcreate}: the stacks that started threads, from JFR's
 * {@code jdk.ThreadStart} (the starting thread's stack at
 * {@code Thread.start()}), one count per thread started. Threads started
 * before profiling began are counted under one frame,
 * {@code [started before profiling]}, as Go counts its own threads without a
 * stack.
 */
final class ThreadCreationProfile implements NamedProfile, AutoCloseable {

    static final String EVENT = "jdk.ThreadStart";
    static final Frame STARTED_BEFORE = new Frame("", "[started before profiling]", "", 0);
    private static final StackProfile.ValueType TYPE = new StackProfile.ValueType("threadcreate", "count");

    private final int stackDepth;
    private final long startedBefore;
    private final StackCounts counts;
    private final SharedRecordingStream.Subscription subscription;

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    ThreadCreationProfile(int stackDepth, int maxStacks) {
        this.stackDepth = stackDepth;
        this.counts = new StackCounts(1, maxStacks);
        this.startedBefore = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
        this.subscription = SharedRecordingStream.subscribe(EVENT, this::record, () -> { });
    }

    @Override
    public String name() {
        return "threadcreate";
    }

    @Override
    public String description() {
        return Descriptions.of(name());
    }

    /** Threads created since the JVM started. */
    @Override
    public long count() {
        return ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() throws IOException, InterruptedException {
        long timeNanos = StackProfile.nowNanos();
        subscription.awaitDelivery();
        List<StackProfile.Sample> samples = new ArrayList<>(counts.snapshot());
        if (startedBefore > 0) {
            samples.add(new StackProfile.Sample(List.of(STARTED_BEFORE), new long[] {startedBefore}));
        }
        return new StackProfile(List.of(TYPE), null, TYPE, 1, timeNanos, 0, samples, counts.comments());
    }

    private void record(RecordedEvent event) {
        List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
        counts.add(stack.isEmpty() ? List.of(Frame.NO_JAVA_FRAMES) : stack, 1);
    }

    @Override
    public void close() {
        SharedRecordingStream.release(subscription);
    }
}
