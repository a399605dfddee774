package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;

/**
 * {@code mutex} and {@code block}: where threads waited, and for how long,
 * from JDK Flight Recorder's wait events (each recorded when a wait lasts at
 * least the configured threshold, with the waiting thread's stack).
 *
 * <ul>
 * <li>{@code mutex}: contended locks — {@code synchronized} blocks
 * ({@code jdk.JavaMonitorEnter}) and {@code java.util.concurrent} locks
 * (a {@code jdk.ThreadPark} inside {@code AbstractQueuedSynchronizer.acquire}).
 * <li>{@code block}: every wait on a synchronization primitive — the above,
 * any other park ({@code jdk.ThreadPark}), {@code Object.wait}
 * ({@code jdk.JavaMonitorWait}) and {@code Thread.sleep} ({@code jdk.ThreadSleep}).
 * </ul>
 *
 * <p>Go's mutex profile shows the stacks that released a contended lock; JFR
 * records the waiters, so both profiles show the waiting stacks. Sample types
 * {@code contentions/count} and {@code delay/nanoseconds}, as Go's.
 */
final class ContentionProfile implements NamedProfile, AutoCloseable {

    private static final List<StackProfile.ValueType> SAMPLE_TYPES = List.of(
            new StackProfile.ValueType("contentions", "count"),
            new StackProfile.ValueType("delay", "nanoseconds"));
    private static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";
    private static final String PARK = "jdk.ThreadPark";
    private static final String MONITOR_WAIT = "jdk.JavaMonitorWait";
    private static final String SLEEP = "jdk.ThreadSleep";

    private final String name;
    private final boolean locksOnly;
    private final int stackDepth;
    private final StackCounts counts;
    private final List<SharedRecordingStream.Subscription> subscriptions = new ArrayList<>();

    private ContentionProfile(String name, boolean locksOnly, int stackDepth, int maxStacks, Duration threshold) {
        this.name = name;
        this.locksOnly = locksOnly;
        this.stackDepth = stackDepth;
        this.counts = new StackCounts(2, maxStacks);
        String millis = threshold.toMillis() + " ms";
        try {
            subscriptions.add(SharedRecordingStream.subscribe(MONITOR_ENTER, this::record, () -> { },
                    "threshold", millis));
            subscriptions.add(SharedRecordingStream.subscribe(PARK, this::record, () -> { }, "threshold", millis));
            if (!locksOnly) {
                subscriptions.add(SharedRecordingStream.subscribe(MONITOR_WAIT, this::record, () -> { },
                        "threshold", millis));
                subscriptions.add(SharedRecordingStream.subscribe(SLEEP, this::record, () -> { },
                        "threshold", millis));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    static ContentionProfile mutex(int stackDepth, int maxStacks, Duration threshold) {
        return new ContentionProfile("mutex", true, stackDepth, maxStacks, threshold);
    }

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    static ContentionProfile block(int stackDepth, int maxStacks, Duration threshold) {
        return new ContentionProfile("block", false, stackDepth, maxStacks, threshold);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return Descriptions.of(name);
    }

    @Override
    public long count() {
        return counts.size();
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() throws IOException, InterruptedException {
        long timeNanos = StackProfile.nowNanos();
        subscriptions.get(0).awaitDelivery();
        return new StackProfile(SAMPLE_TYPES, null, SAMPLE_TYPES.get(0), 1, timeNanos, 0, counts.snapshot(),
                counts.comments());
    }

    /**
     * Go's text form: {@code --- mutex:} or {@code --- contention:}, then
     * {@code delay count @ addresses} per stack with its frames. Delays are
     * in nanoseconds, said by {@code cycles/second=1000000000}, so the
     * client's conversion from cycles leaves them as they are.
     */
    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out) throws IOException, InterruptedException {
        StackProfile profile = snapshot();
        out.print(locksOnly ? "--- mutex:\n" : "--- contention:\n");
        out.print("cycles/second=1000000000\n");
        if (locksOnly) {
            out.print("sampling period=1\n");
        }
        List<StackProfile.Sample> records = new ArrayList<>(profile.samples());
        records.sort(Comparator.comparingLong((StackProfile.Sample s) -> -s.values()[1]));
        for (StackProfile.Sample record : records) {
            LegacyTextFormat.writeRecord(record.values()[1] + " " + record.values()[0], record.stack(),
                    LegacyTextFormat.addresses(record.stack(), frameTable), out);
        }
    }

    private void record(RecordedEvent event) {
        if (isOwnWait(event) || locksOnly && event.getEventType().getName().equals(PARK) && !isLockAcquire(event)) {
            return;
        }
        List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
        counts.add(stack.isEmpty() ? List.of(Frame.NO_JAVA_FRAMES) : stack, 1, event.getDuration().toNanos());
    }

    /**
     * pprof4j's own waits (for JFR's deliveries, for a delta's window) and
     * those of JFR's machinery are not the application's.
     */
    private static boolean isOwnWait(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.isJavaFrame() ? frame.getMethod().getType().getName() : "";
            if (type.equals(PprofHandler.class.getName()) || type.equals(SharedRecordingStream.Subscription.class.getName())
                    || type.startsWith("jdk.jfr.internal.")) {
                return true;
            }
        }
        return false;
    }

    /** A park that waits for a {@code java.util.concurrent} lock, not for a condition or a queue. */
    private static boolean isLockAcquire(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            if (frame.isJavaFrame()
                    && frame.getMethod().getType().getName().equals("java.util.concurrent.locks.AbstractQueuedSynchronizer")
                    && frame.getMethod().getName().startsWith("acquire")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (SharedRecordingStream.Subscription subscription : subscriptions) {
            SharedRecordingStream.release(subscription);
        }
    }
}
