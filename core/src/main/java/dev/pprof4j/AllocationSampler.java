package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Samples allocations continuously through JFR's {@code jdk.ObjectAllocationSample}
 * and sums, per stack, the bytes allocated, the samples taken and the objects
 * they stand for.
 *
 * <p>JFR samples when a thread starts a new allocation buffer (TLAB) or
 * allocates outside one, throttled to a rate (events per second), so the
 * chance that a stack is sampled grows with the bytes it allocates. Each
 * event also has a {@code weight}, meant to be the bytes its thread allocated
 * since that thread's previous sample; measured, the weights fall short — by
 * up to 95% for a thread — whenever the throttle drops samples, and one
 * sample after a long gap can carry most of a thread's bytes. So the bytes
 * come from the JVM's exact per-thread counters
 * ({@code ThreadMXBean#getThreadAllocatedBytes}) instead: at every delivery
 * (about once a second) each thread's bytes since the previous delivery are
 * shared among the stacks of its samples in that delivery, in proportion to
 * how many samples each has. Where the counter is not available (a thread
 * that has ended, a virtual thread) the raw weights are used.
 *
 * <p>Objects are counted as bytes divided by the sampled object's size. The
 * event has no size, so instances are sized from their class
 * ({@link ObjectSizes}); arrays, whose length is unknown here, are kept
 * apart ({@link #UNSIZED_BYTES}, {@link #UNSIZED_SAMPLES}) for the heap
 * profile to size from live samples of the same site.
 */
final class AllocationSampler implements AutoCloseable {

    static final String EVENT = "jdk.ObjectAllocationSample";
    /** Columns of {@link #counts()}. */
    static final int BYTES = 0;
    static final int SAMPLES = 1;
    /** Estimated objects of the samples whose size is known. */
    static final int OBJECTS = 2;
    /** Bytes and samples of the samples whose size is not known. */
    static final int UNSIZED_BYTES = 3;
    static final int UNSIZED_SAMPLES = 4;
    static final int WIDTH = 5;
    private static final com.sun.management.ThreadMXBean THREADS = JvmMemory.allocationCounters();
    /** How often (in deliveries) counters of threads that have ended are dropped. */
    private static final int PRUNE_EVERY = 60;

    private final int stackDepth;
    private final ObjectSizes sizes;
    private final StackCounts counts;
    /** Columns of {@link #delivery}. */
    private static final int WEIGHT = 0;
    private static final int TAKEN = 1;
    private static final int SIZED = 2;
    /** Sum over sized samples of 2^32 / size: a mean of 1 / size, in fixed point. */
    private static final int INVERSE_SIZE_SUM = 3;
    private static final double FIXED_POINT = 1L << 32;
    /** This delivery's samples: thread id → stack → {weight, samples, sized samples, sum of 1 / size}. Touched only by the stream's thread. */
    private final Map<Long, Map<List<Frame>, long[]>> delivery = new HashMap<>();
    /** Each thread's allocation counter when its bytes were last shared out. */
    private final Map<Long, Long> allocatedAtLastDelivery = new HashMap<>();
    private final SharedRecordingStream.Subscription subscription;
    /** Deliveries so far; touched only by the stream's thread. */
    private long deliveries;

    /**
     * @param samplesPerSecond JFR's throttle for the event
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     */
    AllocationSampler(int samplesPerSecond, int stackDepth, int maxStacks, ObjectSizes sizes) {
        this.stackDepth = stackDepth;
        this.sizes = sizes;
        this.counts = new StackCounts(WIDTH, maxStacks);
        if (THREADS != null) {
            long[] ids = THREADS.getAllThreadIds();
            long[] allocated = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                allocatedAtLastDelivery.put(ids[i], allocated[i]);
            }
        }
        this.subscription = SharedRecordingStream.subscribe(EVENT, this::record, this::delivered,
                "throttle", samplesPerSecond + "/s");
    }

    /** Bytes, samples and objects per stack (the columns above) since the sampler started. */
    StackCounts counts() {
        return counts;
    }

    /**
     * Waits until JFR has delivered the samples of the last moments.
     *
     * @throws JfrUnavailableException once the sampler is closed
     */
    void awaitDelivery() throws InterruptedException {
        subscription.awaitDelivery();
    }

    private void record(RecordedEvent event) {
        List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
        if (stack.isEmpty()) {
            stack = List.of(Frame.NO_JAVA_FRAMES);
        }
        long weight = event.getLong("weight");
        RecordedClass type = event.getClass("objectClass");
        long size = type == null ? ObjectSizes.UNKNOWN : sizes.instanceSize(type.getName());
        RecordedThread thread = event.getThread();
        long threadId = thread == null ? -1 : thread.getJavaThreadId();
        long[] values = delivery.computeIfAbsent(threadId, id -> new HashMap<>())
                .computeIfAbsent(stack, s -> new long[4]);
        values[WEIGHT] += weight;
        values[TAKEN]++;
        if (size > 0) {
            values[SIZED]++;
            values[INVERSE_SIZE_SUM] += (long) (FIXED_POINT / size);
        }
    }

    /** Shares each thread's true allocation since the last delivery out over its samples in this one. */
    private void delivered() {
        for (Map.Entry<Long, Map<List<Frame>, long[]>> thread : delivery.entrySet()) {
            Map<List<Frame>, long[]> stacks = thread.getValue();
            long bytesSinceLastDelivery = bytesSinceLastDelivery(thread.getKey());
            long samples = 0;
            for (long[] v : stacks.values()) {
                samples += v[TAKEN];
            }
            for (Map.Entry<List<Frame>, long[]> stack : stacks.entrySet()) {
                long[] v = stack.getValue();
                double bytes = bytesSinceLastDelivery >= 0
                        ? (double) bytesSinceLastDelivery * v[TAKEN] / samples : v[WEIGHT];
                double sizedBytes = bytes * v[SIZED] / v[TAKEN];
                // Samples favour large objects (JFR samples at buffer refills, which large objects
                // trigger more often), so objects = bytes × mean(1 / size), not bytes / mean(size).
                long objects = v[SIZED] > 0
                        ? Math.max(1, Math.round(sizedBytes * v[INVERSE_SIZE_SUM] / FIXED_POINT / v[SIZED])) : 0;
                counts.add(stack.getKey(), Math.round(bytes), v[TAKEN], objects, Math.round(bytes - sizedBytes),
                        v[TAKEN] - v[SIZED]);
            }
        }
        delivery.clear();
        if (++deliveries % PRUNE_EVERY == 0 && THREADS != null) {
            allocatedAtLastDelivery.keySet().removeIf(id -> THREADS.getThreadAllocatedBytes(id) < 0);
        }
    }

    /** What the JVM counted for a thread since its last delivery, or -1 where it does not count. */
    private long bytesSinceLastDelivery(long threadId) {
        long allocated = THREADS == null || threadId < 0 ? -1 : THREADS.getThreadAllocatedBytes(threadId);
        if (allocated < 0) {
            allocatedAtLastDelivery.remove(threadId);
            return -1;
        }
        Long previous = allocatedAtLastDelivery.put(threadId, allocated);
        return allocated - (previous == null ? 0 : previous);
    }

    @Override
    public void close() {
        SharedRecordingStream.release(subscription);
    }
}
