package dev.pprof4j;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * Samples allocations continuously through JFR's {@code jdk.ObjectAllocationSample}
 * and sums, per stack and {@linkplain PprofLabels label set} of its moment,
 * the bytes allocated, the samples taken and the objects they stand for.
 *
 * <p>JFR samples when a thread starts a new allocation buffer (TLAB) or
 * allocates outside one, throttled to a rate: every so many attempts in
 * windows of 200 ms, none once a window's share is spent, so a burst can be
 * sampled densely while the next goes unsampled. Each event's {@code weight}
 * is what its thread allocated since that thread's previous event (JFR's
 * {@code jfrObjectAllocationSample.cpp}: the thread's allocated bytes minus
 * those at its last committed sample, attempts the throttle dropped
 * included): the same counter as {@code ThreadMXBean#getThreadAllocatedBytes},
 * read at the sample, so a thread's weights add up to its bytes but those
 * after its last sample. Those bytes were allocated between the two samples,
 * from the previous sample's stack to this one's, so half of each weight
 * goes to each of the two stacks.
 *
 * <p>The JVM's counter is read only into pprof4j's own JFR stream
 * ({@link AllocationCounter}), so that it comes in order with the samples:
 * read at a delivery, it runs ahead of them (a thread's next burst would go
 * to the samples before it). Counters are written for every thread before a
 * request waits for the stream, and after each delivery for the threads
 * that wait for one or have gone quiet.
 *
 * <p>A thread's first event reaches back to its last committed sample, which
 * may be from before this sampler started (another recording, or none: the
 * thread's whole life); otherwise hours of a worker's past would land on the
 * first stack sampled. So a thread's first samples wait for its counter: the
 * counter beyond the thread's later weights is its first sample's bytes since
 * the start plus those after its last sample, the latter estimated at the
 * thread's rate between its samples where the first weight must be cut.
 *
 * <p>A thread's bytes after its last sample are in no weight until its next
 * sample, which a thread that has gone idle may never take: a counter beyond
 * the bytes credited so far is those bytes, credited to the last sample's
 * stack and taken out of the thread's next weights. A thread without a
 * counter (one that has ended, a virtual thread) keeps its weights as they are.
 *
 * <p>Objects are counted as bytes divided by the sampled object's size. The
 * event has no size, so instances are sized from their class
 * ({@link ObjectSizes}); arrays, whose length is unknown here, are kept
 * apart ({@link #UNSIZED_BYTES}, {@link #UNSIZED_SAMPLES}) for the heap
 * profile to size from live samples of the same site.
 *
 * <p>The same bytes are also kept per class ({@link #bytesByClass()}), for
 * the heap profile to place the live bytes of classes the leak profiler has
 * no live sample of.
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
    /** How often (in deliveries) threads that have ended are dropped. */
    private static final int PRUNE_EVERY = 60;

    /** Columns of {@link #delivery}. */
    private static final int TAKEN = 0;
    private static final int SIZED = 1;
    private static final int WEIGHT = 2;
    private static final int SIZED_WEIGHT = 3;
    /** Sum of weight / size: the objects the weight stands for. */
    private static final int OBJECT_WEIGHT = 4;
    private static final int COLUMNS = 5;

    private final int stackDepth;
    private final ObjectSizes sizes;
    private final StackCounts counts;
    /** Bytes per class per stack, for at most {@link #maxStacks} stacks: class → stack → bytes. */
    private final Map<String, Map<List<Frame>, Long>> bytesByClass = new HashMap<>();
    private final Set<List<Frame>> stacksByClass = new HashSet<>();
    private final int maxStacks;
    /** This delivery's samples: thread id → stack and class → the columns above. Touched only by the stream's thread. */
    private final Map<Long, Map<Origin, double[]>> delivery = new HashMap<>();
    /** What is known of each thread across deliveries. Touched only by the stream's thread. */
    private final Map<Long, ThreadState> threads = new HashMap<>();
    private final SharedRecordingStream.Subscription subscription;
    private final SharedRecordingStream.Subscription counters;
    /** The threads sampled so far, for their counters to be written; added to on the stream's thread. */
    private final Set<Long> sampledThreads = ConcurrentHashMap.newKeySet();
    /** Each sampled thread's counter when it was last written, so that an idle thread's is not written again. */
    private final Map<Long, Long> written = new HashMap<>();
    /** The threads whose first weight waits for their counter to be cut; changed on the stream's thread. */
    private final Set<Long> awaitingCut = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Deliveries so far; touched only by the stream's thread. */
    private long deliveries;

    /** Where a sample was taken, under which labels, and of which class ({@code null} if JFR did not say). */
    private record Origin(LabelledStack stack, String className) {
    }

    /** A thread's last sample, and until its first sample is delivered, what is needed to cut that one's weight. */
    private static final class ThreadState {
        Origin last;
        long lastSize;
        /** The thread's allocation counter when the sampler started; 0 for a thread started since. */
        long allocatedAtStart;
        /** The bytes credited to the thread's stacks so far. */
        double credited;
        /** Bytes credited from its counter that the thread's next weights count again. */
        double prepaid;
        /** Where the thread's first sample's weight was added, that weight and its object's size; null once cut. */
        double[] first;
        double firstWeight;
        long firstSize;
        /** When the thread's first and last samples were taken, in epoch nanoseconds. */
        long firstNanos;
        long lastNanos;
    }

    /**
     * @param samplesPerSecond JFR's throttle for the event
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     */
    AllocationSampler(int samplesPerSecond, int stackDepth, int maxStacks, ObjectSizes sizes) {
        this.stackDepth = stackDepth;
        this.sizes = sizes;
        this.maxStacks = maxStacks;
        this.counts = new StackCounts(WIDTH, maxStacks);
        if (THREADS != null) {
            long[] ids = THREADS.getAllThreadIds();
            long[] allocated = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                threads.computeIfAbsent(ids[i], id -> new ThreadState()).allocatedAtStart = allocated[i];
            }
        }
        this.subscription = SharedRecordingStream.subscribe(EVENT, this::record, this::delivered,
                "throttle", samplesPerSecond + "/s");
        try {
            this.counters = SharedRecordingStream.subscribe(AllocationCounter.NAME, this::counted, () -> { },
                    "stackTrace", "false");
        } catch (RuntimeException e) {
            SharedRecordingStream.release(subscription);
            throw e;
        }
        PprofLabels.startRecording();
    }

    /** Bytes, samples and objects per stack (the columns above) since the sampler started. */
    StackCounts counts() {
        return counts;
    }

    /**
     * The bytes each stack allocated of each class, split as {@link #counts()} splits them: class → stack →
     * bytes, for the first {@code maxStacks} stacks sampled.
     */
    synchronized Map<String, Map<List<Frame>, Long>> bytesByClass() {
        Map<String, Map<List<Frame>, Long>> copy = new HashMap<>();
        bytesByClass.forEach((className, stacks) -> copy.put(className, new HashMap<>(stacks)));
        return copy;
    }

    /**
     * Waits until JFR has delivered the samples of the last moments.
     *
     * @throws SamplingStoppedException once the sampler is closed
     */
    void awaitDelivery() throws InterruptedException {
        // Every thread's: one whose first samples the stream has not reached yet needs its counter to count them.
        writeCounters(THREADS == null ? new long[0] : THREADS.getAllThreadIds(), true);
        subscription.awaitDelivery();
    }

    /**
     * Writes the counter of each of the threads {@code ids}; unless {@code always}, only of those that have
     * allocated since their counter was last written.
     */
    private synchronized void writeCounters(long[] ids, boolean always) {
        if (THREADS == null || ids.length == 0) {
            return;
        }
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (allocated[i] < 0) {
                sampledThreads.remove(ids[i]);
                written.remove(ids[i]);
            } else if (always || written.getOrDefault(ids[i], -1L) != allocated[i]) {
                written.put(ids[i], allocated[i]);
                new AllocationCounter(ids[i], allocated[i]).commit();
            }
        }
    }

    /** A thread's counter beyond what its stacks were credited: its bytes after its last sample. */
    private void counted(RecordedEvent event) {
        long threadId = event.getLong("thread");
        ThreadState state = threads.get(threadId);
        if (state == null || state.last == null) {
            return;
        }
        Map<Origin, double[]> stacks = delivery.computeIfAbsent(threadId, id -> new HashMap<>());
        if (state.first != null) {
            cutFirstWeight(state, stacks, event.getLong("allocated"), nanos(event.getStartTime()));
            awaitingCut.remove(threadId);
            return;
        }
        creditAfterLastSample(state, stacks, event.getLong("allocated") - state.allocatedAtStart - state.credited);
    }

    /** Bytes the thread allocated after its last sample: that sample's stack's, and in its next weights again. */
    private static void creditAfterLastSample(ThreadState state, Map<Origin, double[]> stacks, double bytes) {
        if (bytes > 0) {
            share(stacks.computeIfAbsent(state.last, o -> new double[COLUMNS]), bytes, state.lastSize);
            state.credited += bytes;
            state.prepaid += bytes;
        }
    }

    private void record(RecordedEvent event) {
        List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
        if (stack.isEmpty()) {
            stack = List.of(Frame.NO_JAVA_FRAMES);
        }
        double weight = event.getLong("weight");
        RecordedClass type = event.getClass("objectClass");
        long size = type == null ? ObjectSizes.UNKNOWN : sizes.instanceSize(type.getName());
        RecordedThread thread = event.getThread();
        // JDK 17 gives 0 for a thread not yet attached as a Java thread, which has no counter either.
        long threadId = thread == null || thread.getJavaThreadId() <= 0 ? -1 : thread.getJavaThreadId();
        Map<String, String> labels = threadId > 0 ? PprofLabels.of(threadId, nanos(event.getStartTime())) : Map.of();
        Map<Origin, double[]> stacks = delivery.computeIfAbsent(threadId, id -> new HashMap<>());
        ThreadState state = threads.computeIfAbsent(threadId, id -> new ThreadState());
        Origin origin = new Origin(new LabelledStack(stack, labels), type == null ? null : type.getName());
        double[] own = stacks.computeIfAbsent(origin, o -> new double[COLUMNS]);
        own[TAKEN]++;
        if (size > 0) {
            own[SIZED]++;
        }
        double paid = Math.min(weight, state.prepaid);
        weight -= paid;
        state.prepaid -= paid;
        state.credited += weight;
        if (state.last == null) {
            share(own, weight, size);
            state.firstWeight = weight;
            state.first = own;
            state.firstSize = size;
            state.firstNanos = nanos(event.getStartTime());
            if (threadId > 0) {
                sampledThreads.add(threadId);
                awaitingCut.add(threadId);
            }
        } else {
            share(own, weight / 2, size);
            share(stacks.computeIfAbsent(state.last, o -> new double[COLUMNS]), weight / 2, state.lastSize);
        }
        state.last = origin;
        state.lastSize = size;
        state.lastNanos = nanos(event.getStartTime());
    }

    private static void share(double[] values, double bytes, long size) {
        values[WEIGHT] += bytes;
        if (size > 0) {
            values[SIZED_WEIGHT] += bytes;
            values[OBJECT_WEIGHT] += bytes / size;
        }
    }

    /**
     * Adds this delivery's bytes, samples and objects to each stack's; a thread's first samples wait until
     * its counter, written now, has come in order with them and cut its first weight.
     */
    private void delivered() {
        Set<Long> sampled = new HashSet<>(delivery.keySet());
        Map<Long, Map<Origin, double[]>> awaitingCounter = new HashMap<>();
        try {
            for (Map.Entry<Long, Map<Origin, double[]>> thread : delivery.entrySet()) {
                ThreadState state = threads.get(thread.getKey());
                if (state.first != null && hasCounter(thread.getKey())) {
                    awaitingCounter.put(thread.getKey(), thread.getValue());
                    continue;
                }
                // Without a counter (an ended or virtual thread), the first weight stays as it is.
                state.first = null;
                awaitingCut.remove(thread.getKey());
                for (Map.Entry<Origin, double[]> stack : thread.getValue().entrySet()) {
                    double[] v = stack.getValue();
                    addByClass(stack.getKey(), Math.round(v[WEIGHT]));
                    // Each sample stands for its weight's objects, weight / size, so that the objects of a
                    // stack with small and large ones are not counted as if all were of the mean size.
                    long objects = v[SIZED_WEIGHT] > 0 ? Math.max(1, Math.round(v[OBJECT_WEIGHT])) : 0;
                    counts.add(stack.getKey().stack(), Math.round(v[WEIGHT]), (long) v[TAKEN], objects,
                            Math.round(v[WEIGHT] - v[SIZED_WEIGHT]), (long) (v[TAKEN] - v[SIZED]));
                }
            }
        } finally {
            delivery.clear();
            delivery.putAll(awaitingCounter);
        }
        PprofLabels.sweep();
        if (++deliveries % PRUNE_EVERY == 0 && THREADS != null) {
            threads.keySet().removeIf(id -> id > 0 && THREADS.getThreadAllocatedBytes(id) < 0);
            synchronized (this) {
                written.keySet().removeIf(id -> THREADS.getThreadAllocatedBytes(id) < 0);
            }
        }
        // Delivered with the next batch: the bytes after the last sample of threads that have gone quiet, and
        // the counters that cut first weights. Threads sampled in this batch are otherwise left to their next
        // samples, which split their bytes between stacks better.
        writeCounters(awaitingCut.stream().mapToLong(Long::longValue).toArray(), true);
        writeCounters(sampledThreads.stream().filter(id -> !sampled.contains(id)).mapToLong(Long::longValue).toArray(),
                false);
    }

    private static boolean hasCounter(long threadId) {
        return THREADS != null && threadId > 0 && THREADS.getThreadAllocatedBytes(threadId) >= 0;
    }

    /**
     * Cuts a thread's first weight, which may reach back before the sampler started, with its counter
     * {@code allocated} as of {@code atNanos}, delivered in order with its samples. The counter beyond the
     * thread's later weights is its first sample's bytes since the start plus those after its last sample;
     * where the first weight exceeds it, the latter are estimated at the thread's rate between its samples.
     */
    private static void cutFirstWeight(ThreadState state, Map<Origin, double[]> stacks, long allocated,
            long atNanos) {
        double later = state.credited - state.firstWeight;
        double unaccounted = Math.max(0, allocated - state.allocatedAtStart - later);
        double afterLast = unaccounted - state.firstWeight;
        if (afterLast < 0) {
            double rate = state.lastNanos > state.firstNanos ? later / (state.lastNanos - state.firstNanos) : 0;
            afterLast = Math.min(unaccounted, rate * Math.max(0, atNanos - state.lastNanos));
            double excess = state.firstWeight - (unaccounted - afterLast);
            share(state.first, -excess, state.firstSize);
            state.credited -= excess;
        }
        creditAfterLastSample(state, stacks, afterLast);
        state.first = null;
    }

    private static long nanos(java.time.Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private synchronized void addByClass(Origin origin, long bytes) {
        List<Frame> stack = origin.stack().stack();
        if (origin.className() == null || bytes <= 0
                || (!stacksByClass.contains(stack) && stacksByClass.size() >= maxStacks)) {
            return;
        }
        stacksByClass.add(stack);
        bytesByClass.computeIfAbsent(origin.className(), c -> new HashMap<>()).merge(stack, bytes, Long::sum);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        PprofLabels.stopRecording();
        SharedRecordingStream.release(counters);
        SharedRecordingStream.release(subscription);
    }
}
