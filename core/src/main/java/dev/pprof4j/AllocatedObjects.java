package dev.pprof4j;

import java.util.HashMap;
import java.util.Map;

/**
 * Each stack's allocated objects, per label set, as a count that never goes down.
 *
 * <p>JFR's allocation sample has no array length, so the objects behind the
 * bytes of arrays are counted at the mean size of the stack's live samples
 * ({@link LiveObjectSampler}), and that mean changes from one snapshot to the
 * next. Re-dividing all bytes by each new mean could make the count fall
 * between two snapshots, and a scraper that subtracts them (Grafana Alloy's
 * client-side delta) then drops the stack. So the bytes are counted once:
 * each snapshot divides only the bytes that arrived since the previous one,
 * by the mean of its day, and adds the result.
 *
 * <p>Holds one entry per stack of the allocation counts, which are bounded.
 */
final class AllocatedObjects {

    /** Unsized bytes and samples already turned into objects, and those objects. */
    private static final class Counted {
        long bytes;
        long samples;
        long objects;
    }

    private final Map<LabelledStack, Counted> byStack = new HashMap<>();

    /**
     * The objects the unsized allocations of a stack stand for, so far.
     *
     * @param unsizedBytes the stack's bytes of unknown object size, since sampling began
     * @param unsizedSamples the samples of those bytes
     * @param liveMeanSize the mean size of the stack's live samples now, or 0 if none is known: then the
     *     new samples count one object each, a lower bound
     */
    synchronized long unsized(LabelledStack stack, long unsizedBytes, long unsizedSamples, long liveMeanSize) {
        Counted counted = byStack.computeIfAbsent(stack, s -> new Counted());
        // A snapshot taken before the last one counted may bring smaller sums: nothing new then.
        long newBytes = Math.max(0, unsizedBytes - counted.bytes);
        long newSamples = Math.max(0, unsizedSamples - counted.samples);
        counted.objects += liveMeanSize > 0 ? newBytes / liveMeanSize : newSamples;
        counted.bytes += newBytes;
        counted.samples += newSamples;
        return counted.objects;
    }
}
