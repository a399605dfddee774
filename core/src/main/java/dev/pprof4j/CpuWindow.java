package dev.pprof4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU samples of one {@code profile} request's window, by thread and
 * stack, and the profile they make.
 *
 * <p>Where the samples do not measure CPU time themselves (JFR's
 * execution sampler sees only threads running Java code, a few per period,
 * and misses many samples in hot compiled loops), each thread's exact CPU
 * time over the window, from the JVM's counters, is divided among its
 * stacks in proportion to its samples. Either way, CPU time of the process
 * that no sample accounts for (garbage collection, the JIT compiler, other
 * JVM threads, native code, threads that ended) is shown as one row, so
 * that the total is the process's CPU time, as in Go.
 */
final class CpuWindow {

    static final Frame NOT_SAMPLED = new Frame("", "[CPU of threads without samples: GC, JIT compiler, JFR, other JVM threads]", "", 0);
    private static final List<StackProfile.ValueType> SAMPLE_TYPES = List.of(
            new StackProfile.ValueType("samples", "count"),
            new StackProfile.ValueType("cpu", "nanoseconds"));

    private final long startNanos;
    private final CpuClock startClock;
    private final int maxStacks;
    private final Map<Long, Map<LabelledStack, long[]>> byThread = new HashMap<>();
    private volatile long endNanos = Long.MAX_VALUE;
    private int stacks;

    /** Rows not kept per thread: those of samplers that measure CPU themselves, and those past the cap. */
    static final long ANY_THREAD = -1;
    private static final LabelledStack OVERFLOW = LabelledStack.of(List.of(StackCounts.OVERFLOW));

    CpuWindow(int maxStacks) {
        this.maxStacks = maxStacks;
        this.startClock = CpuClock.read();
        this.startNanos = StackProfile.nowNanos();
    }

    /** When the window opened, in Unix nanoseconds. */
    long startNanos() {
        return startNanos;
    }

    /** Whether a sample taken at {@code timeNanos} (Unix nanoseconds) belongs to this window. */
    boolean covers(long timeNanos) {
        return timeNanos >= startNanos && timeNanos < endNanos;
    }

    /**
     * Adds samples of one thread's stack, taken under {@code labels}, with
     * the CPU time they stand for if the sampler measures it, else 0; a
     * sampler that measures gives {@link #ANY_THREAD}, as its rows need no
     * thread's counter.
     */
    synchronized void add(long threadId, List<Frame> stack, Map<String, String> labels, long samples, long cpuNanos) {
        Map<LabelledStack, long[]> ofThread = byThread.get(threadId);
        if (ofThread == null) {
            // Past the cap (threads by the thousand, virtual ones say), they share one set of rows, counted raw.
            ofThread = byThread.computeIfAbsent(byThread.size() < maxStacks ? threadId : ANY_THREAD,
                    id -> new HashMap<>());
        }
        LabelledStack key = new LabelledStack(stack, labels);
        long[] sums = ofThread.get(key);
        if (sums == null) {
            if (stacks < maxStacks) {
                stacks++;
            } else {
                key = OVERFLOW;
            }
            sums = ofThread.computeIfAbsent(key, k -> new long[2]);
        }
        sums[0] += samples;
        sums[1] += cpuNanos;
    }

    /** Closes the window now: later samples no longer belong to it. */
    CpuClock end() {
        CpuClock endClock = CpuClock.read();
        endNanos = StackProfile.nowNanos();
        return endClock;
    }

    /**
     * The profile of the window.
     *
     * @param endClock the reading {@link #end()} returned
     * @param periodNanos the sampling period
     * @param measured whether samples carry their CPU time; if not, threads' counters are divided among them
     */
    synchronized StackProfile profile(CpuClock endClock, long periodNanos, boolean measured, List<String> comments) {
        Map<LabelledStack, long[]> rows = new HashMap<>();
        long attributed = 0;
        for (Map.Entry<Long, Map<LabelledStack, long[]>> thread : byThread.entrySet()) {
            long threadNanos = measured ? -1 : endClock.threadDelta(startClock, thread.getKey());
            if (threadNanos >= 0) {
                attributed += apportion(thread.getValue(), Math.round((double) threadNanos / periodNanos), periodNanos,
                        rows);
            } else {
                for (Map.Entry<LabelledStack, long[]> stack : thread.getValue().entrySet()) {
                    long samples = stack.getValue()[0];
                    long cpu = measured ? stack.getValue()[1] : samples * periodNanos;
                    add(rows, stack.getKey(), samples, cpu);
                    attributed += cpu;
                }
            }
        }
        if (startClock.processNanos() >= 0 && endClock.processNanos() >= 0) {
            long periods = Math.round((double) (endClock.processNanos() - startClock.processNanos() - attributed)
                    / periodNanos);
            if (periods > 0) {
                add(rows, new LabelledStack(List.of(NOT_SAMPLED), Map.of()), periods, periods * periodNanos);
            }
        }
        List<StackProfile.Sample> samples = new ArrayList<>(rows.size());
        rows.forEach((key, sums) -> samples.add(new StackProfile.Sample(key.stack(), sums, key.labels())));
        return new StackProfile(SAMPLE_TYPES, null, SAMPLE_TYPES.get(1), periodNanos, startNanos,
                endNanos - startNanos, samples, comments);
    }

    private static void add(Map<LabelledStack, long[]> rows, LabelledStack key, long samples, long cpuNanos) {
        long[] sums = rows.computeIfAbsent(key, k -> new long[2]);
        sums[0] += samples;
        sums[1] += cpuNanos;
    }

    /**
     * Divides a thread's CPU time, in whole periods, among its stacks by
     * their sample counts (largest remainder first), so that every row keeps
     * Go's cpu = samples × period and the thread's total stays exact.
     *
     * @return the CPU time given out
     */
    private static long apportion(Map<LabelledStack, long[]> stacks, long periods, long periodNanos, Map<LabelledStack, long[]> rows) {
        long samples = 0;
        for (long[] sums : stacks.values()) {
            samples += sums[0];
        }
        List<Map.Entry<LabelledStack, long[]>> entries = new ArrayList<>(stacks.entrySet());
        long[] shares = new long[entries.size()];
        double[] remainders = new double[entries.size()];
        long given = 0;
        for (int i = 0; i < shares.length; i++) {
            double exact = (double) periods * entries.get(i).getValue()[0] / samples;
            shares[i] = (long) exact;
            remainders[i] = exact - shares[i];
            given += shares[i];
        }
        Integer[] byRemainder = new Integer[shares.length];
        Arrays.setAll(byRemainder, i -> i);
        Arrays.sort(byRemainder, Comparator.comparingDouble(i -> -remainders[i]));
        for (int i = 0; given < periods; i++, given++) {
            shares[byRemainder[i]]++;
        }
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                add(rows, entries.get(i).getKey(), shares[i], shares[i] * periodNanos);
            }
        }
        return periods * periodNanos;
    }
}
