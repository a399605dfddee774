package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Running sums of values per stack and label set, bounded: at most {@code maxStacks}
 * distinct stacks are kept; the values of any further stack are added to one
 * overflow row, {@link #OVERFLOW}, so totals stay right and the cut is
 * visible rather than silent. Its name never changes, so that a scraper
 * that subtracts two snapshots finds the row again; how many stacks it
 * sums is said in {@link #comments()}. A stack once kept is never evicted.
 *
 * <p>Frames and their names are interned, so stacks that share frames share
 * their {@link Frame} objects, and frames of one class share its name. Writers (the JFR stream's thread) and readers
 * (requests taking snapshots) synchronize on the instance; each add is a
 * hash lookup and a few additions.
 */
final class StackCounts {

    /** The one frame of the row that sums the stacks beyond the limit. */
    static final Frame OVERFLOW = new Frame("", "[truncated: stacks beyond maxStacks]", "", 0);

    /** How many distinct overflowing stacks are counted exactly; beyond, the label says "N+". */
    private static final int MAX_COUNTED_OVERFLOW = 100_000;

    private final int width;
    private final int maxStacks;
    /** In the order stacks were first seen, which snapshots keep. */
    private final Map<LabelledStack, long[]> sums = new LinkedHashMap<>();
    private final Map<Frame, Frame> frames = new HashMap<>();
    private final Map<String, String> strings = new HashMap<>();
    private final long[] overflow;
    private final Set<Integer> overflowStacks = new HashSet<>();
    private boolean overflowSaturated;

    /**
     * @param width how many values each stack has
     * @param maxStacks the most distinct stacks kept
     */
    StackCounts(int width, int maxStacks) {
        this.width = width;
        this.maxStacks = maxStacks;
        this.overflow = new long[width];
    }

    /** Adds {@code values} (one per column) to the stack's sums. */
    void add(List<Frame> stack, long... values) {
        add(LabelledStack.of(stack), values);
    }

    /** Adds {@code values} (one per column) to the sums of the stack under its labels. */
    synchronized void add(LabelledStack stack, long... values) {
        long[] sum = sums.get(stack);
        if (sum == null) {
            if (sums.size() >= maxStacks) {
                addTo(overflow, values);
                countOverflowStack(stack);
                return;
            }
            sum = new long[width];
            sums.put(new LabelledStack(intern(stack.stack()), stack.labels()), sum);
        }
        addTo(sum, values);
    }

    synchronized int size() {
        return sums.size();
    }

    /** A copy of the sums, the overflow row last when there is one. */
    synchronized List<StackProfile.Sample> snapshot() {
        List<StackProfile.Sample> samples = new ArrayList<>(sums.size() + 1);
        sums.forEach((stack, values) -> samples.add(new StackProfile.Sample(stack.stack(), values.clone(),
                stack.labels())));
        if (!overflowStacks.isEmpty()) {
            samples.add(new StackProfile.Sample(List.of(OVERFLOW), overflow.clone()));
        }
        return samples;
    }

    /** The profile's note on the overflow row, if there is one: how many stacks it sums. */
    synchronized List<String> comments() {
        if (overflowStacks.isEmpty()) {
            return List.of();
        }
        return List.of(OVERFLOW.methodName() + " sums " + overflowStacks.size() + (overflowSaturated ? "+" : "")
                + " distinct stacks beyond the first " + maxStacks + " (maxStacks)");
    }

    private List<Frame> intern(List<Frame> stack) {
        List<Frame> interned = new ArrayList<>(stack.size());
        for (Frame frame : stack) {
            interned.add(frames.computeIfAbsent(frame, f -> new Frame(string(f.className()),
                    string(f.methodName()), string(f.sourcePath()), f.line())));
        }
        return List.copyOf(interned);
    }

    private String string(String value) {
        return strings.computeIfAbsent(value, v -> v);
    }

    /** Distinct overflowing stacks, told apart by hash: cheap, and exact enough for a label. */
    private void countOverflowStack(LabelledStack stack) {
        if (overflowStacks.size() < MAX_COUNTED_OVERFLOW) {
            overflowStacks.add(stack.hashCode());
        } else if (!overflowStacks.contains(stack.hashCode())) {
            overflowSaturated = true;
        }
    }

    private void addTo(long[] sum, long[] values) {
        for (int i = 0; i < width; i++) {
            sum[i] += values[i];
        }
    }
}
