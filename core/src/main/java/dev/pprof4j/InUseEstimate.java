package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares the live heap out among allocation stacks: the in-use bytes and
 * objects of the heap profile.
 *
 * <p>The leak profiler's live samples say where live objects were
 * allocated, and of which class: it samples allocations by the bytes
 * allocated, so a stack's share of a class's live samples estimates its share
 * of that class's live bytes. After a full collection the JVM's
 * {@linkplain ClassHistogram class histogram} says exactly how many bytes and
 * instances of each class live, so each class's figures are split among the
 * stacks that hold live samples of that class, by their number
 * ({@link #byClass}). What no sample explains — objects allocated before
 * sampling began, or at sites the leak profiler's small queue did not catch
 * — stays with its class, as {@linkplain #unsampled() one row per class}: a
 * stack gets no bytes of a class it holds no live sample of.
 *
 * <p>Without a collection there is no histogram, only the heap's size after
 * the last collection, which still holds what has died since; it is split
 * among the stacks by their live samples, whatever their class
 * ({@link #bySamples}).
 */
final class InUseEstimate {

    /** In-use bytes and objects of one stack. */
    record Share(long bytes, long objects) {
    }

    private final Map<List<Frame>, Share> byStack;
    private final List<ClassHistogram.Entry> unsampled;

    private InUseEstimate(Map<List<Frame>, Share> byStack, List<ClassHistogram.Entry> unsampled) {
        this.byStack = byStack;
        this.unsampled = unsampled;
    }

    /** Each class's live bytes and instances, split among the stacks with live samples of the class. */
    static InUseEstimate byClass(ClassHistogram histogram, List<LiveObjectSampler.Site> sites) {
        Map<String, Long> samplesOfClass = new HashMap<>();
        for (LiveObjectSampler.Site site : sites) {
            samplesOfClass.merge(site.className(), site.samples(), Long::sum);
        }
        Map<List<Frame>, double[]> shares = new HashMap<>();
        for (LiveObjectSampler.Site site : sites) {
            ClassHistogram.Entry entry = histogram.get(site.className());
            if (entry != null) {
                double fraction = (double) site.samples() / samplesOfClass.get(site.className());
                double[] share = shares.computeIfAbsent(site.stack(), s -> new double[2]);
                share[0] += entry.bytes() * fraction;
                share[1] += entry.instances() * fraction;
            }
        }
        Map<List<Frame>, Share> byStack = new HashMap<>();
        shares.forEach((stack, share) -> byStack.put(stack, new Share(Math.round(share[0]), Math.round(share[1]))));
        List<ClassHistogram.Entry> unsampled = new ArrayList<>();
        for (ClassHistogram.Entry entry : histogram.entries()) {
            if (!samplesOfClass.containsKey(entry.className())) {
                unsampled.add(entry);
            }
        }
        return new InUseEstimate(byStack, unsampled);
    }

    /**
     * The live heap split by live samples; objects are bytes over the mean known size of the stack's
     * samples, or 0 where none is known (the heap profile then counts them from its allocations).
     */
    static InUseEstimate bySamples(long liveHeap, List<LiveObjectSampler.Site> sites) {
        long samples = 0;
        for (LiveObjectSampler.Site site : sites) {
            samples += site.samples();
        }
        Map<List<Frame>, long[]> perStack = new HashMap<>();
        for (LiveObjectSampler.Site site : sites) {
            long[] figures = perStack.computeIfAbsent(site.stack(), s -> new long[3]);
            figures[0] += site.samples();
            figures[1] += site.sizedSamples();
            figures[2] += site.sizedBytes();
        }
        Map<List<Frame>, Share> byStack = new HashMap<>();
        for (Map.Entry<List<Frame>, long[]> stack : perStack.entrySet()) {
            long[] figures = stack.getValue();
            long bytes = Math.round((double) liveHeap * figures[0] / samples);
            long objects = figures[1] > 0 && bytes > 0 ? Math.max(1, bytes * figures[1] / figures[2]) : 0;
            byStack.put(stack.getKey(), new Share(bytes, objects));
        }
        return new InUseEstimate(byStack, List.of());
    }

    /** The in-use share of an allocation stack; zero if none of its objects were seen alive. */
    Share of(List<Frame> stack) {
        return byStack.getOrDefault(stack, new Share(0, 0));
    }

    /** The stacks with a share. */
    Iterable<List<Frame>> stacks() {
        return byStack.keySet();
    }

    /** Classes with live bytes but no live sample, the most bytes first. */
    List<ClassHistogram.Entry> unsampled() {
        return unsampled;
    }
}
