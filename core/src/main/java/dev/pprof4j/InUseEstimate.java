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
 * ({@link #byClass}). A class no live sample is of — the leak profiler's
 * small queue holds a few hundred objects, so small classes of a leak's
 * object graph are often missed — is split among the stacks that hold live
 * samples, of any class, and the stacks of the calls that led to them, by
 * the bytes of that class each allocated: a stack on no path to a live
 * sample gets nothing, however much it allocates. What no such stack
 * allocated (objects from before sampling began, or made elsewhere, such as
 * iterators a scrape leaves in a meter) stays with its class, as
 * {@linkplain #unsampled() one row per class}.
 *
 * <p>Without a collection there is no histogram, only the heap's size after
 * the last collection, which still holds what has died since; it is split
 * among the stacks by their live samples, whatever their class
 * ({@link #bySamples}).
 */
final class InUseEstimate {

    /** In-use bytes and objects of one stack. */
    record Share(long bytes, long objects) {
        /** The part {@code fraction} of this share. */
        Share part(double fraction) {
            return fraction >= 1 ? this : new Share(Math.round(bytes * fraction), Math.round(objects * fraction));
        }
    }

    private final Map<List<Frame>, Share> byStack;
    private final List<ClassHistogram.Entry> unsampled;

    private InUseEstimate(Map<List<Frame>, Share> byStack, List<ClassHistogram.Entry> unsampled) {
        this.byStack = byStack;
        this.unsampled = unsampled;
    }

    /**
     * Each class's live bytes and instances, split among the stacks with live samples of the class; a class
     * without live samples among the {@linkplain RetainingPaths stacks on a retaining path}, by what each
     * allocated of it.
     *
     * @param allocated the bytes each stack allocated of each class, as sampled: class → stack → bytes
     */
    static InUseEstimate byClass(ClassHistogram histogram, List<LiveObjectSampler.Site> sites,
            Map<String, Map<List<Frame>, Long>> allocated) {
        Map<String, Map<List<Frame>, Long>> liveSamples = new HashMap<>();
        for (LiveObjectSampler.Site site : sites) {
            liveSamples.computeIfAbsent(site.className(), c -> new HashMap<>())
                    .merge(site.stack(), site.samples(), Long::sum);
        }
        Map<List<Frame>, double[]> shares = new HashMap<>();
        RetainingPaths paths = new RetainingPaths();
        for (LiveObjectSampler.Site site : sites) {
            shares.computeIfAbsent(site.stack(), s -> new double[2]);
            paths.add(site.stack());
        }
        List<ClassHistogram.Entry> unsampled = new ArrayList<>();
        for (ClassHistogram.Entry entry : histogram.entries()) {
            Map<List<Frame>, Long> weights = liveSamples.get(entry.className());
            if (weights == null) {
                weights = new HashMap<>();
                for (Map.Entry<List<Frame>, Long> stack
                        : allocated.getOrDefault(entry.className(), Map.of()).entrySet()) {
                    if (stack.getValue() > 0 && paths.contains(stack.getKey())) {
                        weights.put(stack.getKey(), stack.getValue());
                    }
                }
            }
            long total = 0;
            for (long weight : weights.values()) {
                total += weight;
            }
            if (total == 0) {
                unsampled.add(entry);
                continue;
            }
            for (Map.Entry<List<Frame>, Long> stack : weights.entrySet()) {
                double fraction = (double) stack.getValue() / total;
                double[] share = shares.computeIfAbsent(stack.getKey(), k -> new double[2]);
                share[0] += entry.bytes() * fraction;
                share[1] += entry.instances() * fraction;
            }
        }
        Map<List<Frame>, Share> byStack = new HashMap<>();
        shares.forEach((stack, share) -> {
            if (share[0] > 0) {
                byStack.put(stack, new Share(Math.round(share[0]), Math.round(share[1])));
            }
        });
        return new InUseEstimate(byStack, unsampled);
    }

    /**
     * The stacks with live samples, and the stacks of the calls on their way: where an object kept alive
     * was allocated, and the frames that called that allocation, each of which may have allocated
     * objects of the same graph (a map's node, the value's own fields). A stack on no such path — a
     * sibling that only makes garbage — is not on it, however much it allocates.
     */
    private static final class RetainingPaths {
        /** Every stack with live samples, and each of its callers' stacks, by its leaf frame. */
        private final Map<Frame, List<List<Frame>>> byLeaf = new HashMap<>();

        void add(List<Frame> stack) {
            for (int caller = 0; caller < stack.size(); caller++) {
                byLeaf.computeIfAbsent(stack.get(caller), f -> new ArrayList<>())
                        .add(stack.subList(caller, stack.size()));
            }
        }

        /**
         * Whether {@code stack} is such a path. Where one of the two was cut at the stack depth, they
         * are compared as far as both go.
         */
        boolean contains(List<Frame> stack) {
            if (stack.isEmpty()) {
                return false;
            }
            for (List<Frame> path : byLeaf.getOrDefault(stack.get(0), List.of())) {
                int common = Math.min(path.size(), stack.size());
                if (path.subList(0, common).equals(stack.subList(0, common))) {
                    return true;
                }
            }
            return false;
        }
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
