package dev.pprof4j;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of one profile: values per distinct stack, with the
 * metadata pprof needs to read them. Every encoder works from this.
 *
 * @param sampleTypes what each value of a sample measures, in order
 * @param defaultSampleType the type clients show first, or null for "the last one"
 * @param periodType what one sampling event is
 * @param period how many {@code periodType} units lie between two samples
 * @param timeNanos when the snapshot was taken, in Unix nanoseconds
 * @param durationNanos the time window the values cover, or 0
 * @param samples one per distinct stack
 * @param comments notes shown by {@code go tool pprof -comments}
 */
record StackProfile(
        List<ValueType> sampleTypes,
        String defaultSampleType,
        ValueType periodType,
        long period,
        long timeNanos,
        long durationNanos,
        List<Sample> samples,
        List<String> comments) {

    record ValueType(String type, String unit) {
    }

    /**
     * Values for one stack.
     *
     * @param stack frames, leaf first
     * @param values one per sample type
     * @param labels the {@link PprofLabels} the stack ran under
     */
    record Sample(List<Frame> stack, long[] values, Map<String, String> labels) {
        Sample(List<Frame> stack, long[] values) {
            this(stack, values, Map.of());
        }

        LabelledStack key() {
            return new LabelledStack(stack, labels);
        }
    }

    StackProfile {
        sampleTypes = List.copyOf(sampleTypes);
        samples = List.copyOf(samples);
        comments = List.copyOf(comments);
    }

    /**
     * A profile whose only sample type is {@code <name>/count}, counting how
     * often each stack occurs, as Go's goroutine and custom profiles do. An
     * empty stack is counted as {@link Frame#NO_JAVA_FRAMES}, so that every
     * sample has a frame for pprof to show. Past
     * {@link PprofOptions#MAX_STACKS_LIMIT} distinct stacks, the rest are
     * counted in one {@link StackCounts#OVERFLOW} row.
     */
    static StackProfile counts(String name, Iterable<LabelledStack> stacks) {
        StackCounts counts = new StackCounts(1, PprofOptions.MAX_STACKS_LIMIT);
        for (LabelledStack stack : stacks) {
            counts.add(stack.stack().isEmpty() ? new LabelledStack(List.of(Frame.NO_JAVA_FRAMES), stack.labels())
                    : stack, 1);
        }
        ValueType type = new ValueType(name, "count");
        return new StackProfile(List.of(type), null, type, 1, nowNanos(), 0, counts.snapshot(), counts.comments());
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Sum of the values of type {@code index} over all samples. */
    long total(int index) {
        long sum = 0;
        for (Sample sample : samples) {
            sum += sample.values()[index];
        }
        return sum;
    }

    /**
     * This profile minus an earlier one of the same kind: Go's answer to
     * {@code ?seconds=N}. Values may be negative; stacks whose values all
     * cancel out are dropped. The result is stamped with this profile's time
     * and the gap between the two.
     */
    StackProfile minus(StackProfile earlier) {
        int width = sampleTypes.size();
        Map<LabelledStack, long[]> byStack = new LinkedHashMap<>();
        for (Sample sample : samples) {
            add(byStack, sample.key(), sample.values(), 1, width);
        }
        for (Sample sample : earlier.samples) {
            add(byStack, sample.key(), sample.values(), -1, width);
        }
        List<Sample> delta = new ArrayList<>();
        long[] zero = new long[width];
        byStack.forEach((stack, values) -> {
            if (!Arrays.equals(values, zero)) {
                delta.add(new Sample(stack.stack(), values, stack.labels()));
            }
        });
        return new StackProfile(sampleTypes, defaultSampleType, periodType, period, timeNanos,
                timeNanos - earlier.timeNanos, delta, comments);
    }

    private static void add(Map<LabelledStack, long[]> byStack, LabelledStack stack, long[] values,
            int sign, int width) {
        long[] sum = byStack.computeIfAbsent(stack, s -> new long[width]);
        for (int i = 0; i < width; i++) {
            sum[i] += sign * values[i];
        }
    }
}
