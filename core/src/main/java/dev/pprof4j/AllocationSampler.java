package dev.pprof4j;

import java.util.List;
import jdk.jfr.consumer.RecordedEvent;

/**
 * Samples allocations continuously through JFR's {@code jdk.ObjectAllocationSample}
 * and sums, per stack, the bytes allocated and the samples taken.
 *
 * <p>JFR throttles the event to a rate (events per second) and gives each one
 * a {@code weight}: the bytes its thread allocated since that thread's
 * previous sample. Summed per stack, weights are an unbiased estimate of the
 * bytes each stack allocated, whatever the rate; the rate decides how many
 * samples a stack gets, and so how close the estimate is.
 */
final class AllocationSampler implements AutoCloseable {

    static final String EVENT = "jdk.ObjectAllocationSample";
    /** Columns of {@link #counts()}. */
    static final int BYTES = 0;
    static final int SAMPLES = 1;

    private final int stackDepth;
    private final StackCounts counts;
    private final SharedRecordingStream.Subscription subscription;

    /**
     * @param samplesPerSecond JFR's throttle for the event
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     */
    AllocationSampler(int samplesPerSecond, int stackDepth, int maxStacks) {
        this.stackDepth = stackDepth;
        this.counts = new StackCounts(2, maxStacks);
        this.subscription = SharedRecordingStream.subscribe(EVENT, this::record,
                "throttle", samplesPerSecond + "/s");
    }

    /** Bytes ({@link #BYTES}) and samples ({@link #SAMPLES}) per stack since the sampler started. */
    StackCounts counts() {
        return counts;
    }

    private void record(RecordedEvent event) {
        List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
        counts.add(stack.isEmpty() ? List.of(Frame.NO_JAVA_FRAMES) : stack, event.getLong("weight"), 1);
    }

    @Override
    public void close() {
        SharedRecordingStream.release(subscription);
    }
}
