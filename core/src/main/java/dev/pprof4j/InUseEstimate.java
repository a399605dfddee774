package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Shares the live heap out among allocation sites: the in-use bytes of the
 * heap profile.
 *
 * <p>Three measurements meet here. The heap's size after the last
 * collection says how much is alive. The leak profiler's live samples say
 * where it was allocated: sampled objects are spread over allocated bytes, so
 * a site's share of the live samples is an estimate of its share of the live
 * heap. And the allocation sampler says how much each site allocated since
 * profiling began, which no site can hold more of. So each site gets at least
 * the known sizes of its own live samples, then the rest of the heap is shared
 * in proportion to live samples, no site beyond what it allocated; what a full
 * site cannot take goes to the others.
 *
 * <p>What sampled sites cannot take then goes to their relatives: the stacks
 * that share the callers of a site short of its share, nearest first, up to
 * what each allocated.
 * A site's allocated bytes are themselves sampled (a thread's bytes split by
 * which of its stacks JFR happened to sample), so among sibling stacks of one
 * operation, such as a timer and the histograms it builds, the bytes land on
 * some and miss others; capping each sampled stack at its own share of them
 * would lose most of a leak that spans many stacks. Relatives share the
 * callers of at least {@value #MIN_SHARED_FRAMES} frames and branch off at
 * most {@value #MAX_CLIMB} frames above the site, and take no more than the
 * site fell short of its share. Their choice is blind to which relatives'
 * objects still live: near a hub such as a filter chain, some of it lands on
 * garbage-making siblings. What nobody can take stays
 * {@linkplain #unattributed() unattributed}: objects allocated before
 * profiling began, at sites the leak profiler did not sample, or garbage not
 * yet collected.
 */
final class InUseEstimate {

    static final int MAX_CLIMB = 24;
    static final int MIN_SHARED_FRAMES = 8;

    private final Map<List<Frame>, Long> bytes;
    private final long unattributed;

    private InUseEstimate(Map<List<Frame>, Long> bytes, long unattributed) {
        this.bytes = bytes;
        this.unattributed = unattributed;
    }

    /**
     * @param liveHeap bytes alive after the last collection
     * @param sites the live samples, by allocation stack
     * @param allocated bytes allocated per stack since profiling began
     */
    static InUseEstimate of(long liveHeap, List<LiveObjectSampler.Site> sites, Map<List<Frame>, Long> allocated) {
        int n = sites.size();
        long[] given = new long[n];
        long[] cap = new long[n];
        long budget = liveHeap;
        for (int i = 0; i < n; i++) {
            LiveObjectSampler.Site site = sites.get(i);
            given[i] = Math.min(site.sizedBytes(), Math.max(budget, 0));
            budget -= given[i];
            cap[i] = Math.max(allocated.getOrDefault(site.stack(), 0L), site.sizedBytes());
        }
        List<Integer> open = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (given[i] < cap[i]) {
                open.add(i);
            }
        }
        // Water-filling: share in proportion to live samples; a site that reaches its cap
        // leaves the round, and what it could not take is shared again among the rest.
        while (budget > 0 && !open.isEmpty()) {
            long weight = 0;
            for (int i : open) {
                weight += sites.get(i).samples();
            }
            List<Integer> stillOpen = new ArrayList<>();
            long handedOut = 0;
            for (int i : open) {
                long share = (long) ((double) budget * sites.get(i).samples() / weight);
                long room = cap[i] - given[i];
                if (share >= room) {
                    given[i] += room;
                    handedOut += room;
                } else {
                    given[i] += share;
                    handedOut += share;
                    stillOpen.add(i);
                }
            }
            budget -= handedOut;
            if (stillOpen.size() == open.size()) {
                break;
            }
            open = stillOpen;
        }
        Map<List<Frame>, Long> bytes = new HashMap<>();
        for (int i = 0; i < n; i++) {
            bytes.merge(sites.get(i).stack(), given[i], Long::sum);
        }
        if (budget > 0) {
            budget -= spillToRelatives(liveHeap, budget, sites, given, bytes, allocated);
        }
        return new InUseEstimate(bytes, Math.max(budget, 0));
    }

    /**
     * Hands out what is left of the live heap to the relatives of the sites that got less than their
     * share of the live samples, each such site's shortfall at most; returns how much was handed out.
     * Sites whose stack has no allocation figure (it went to the overflow row) keep their shortfall
     * unattributed: their relatives are unknown.
     */
    private static long spillToRelatives(long liveHeap, long budget, List<LiveObjectSampler.Site> sites,
            long[] given, Map<List<Frame>, Long> bytes, Map<List<Frame>, Long> allocated) {
        long samples = 0;
        for (LiveObjectSampler.Site site : sites) {
            samples += site.samples();
        }
        long[] part = new long[sites.size()];
        long shortfalls = 0;
        for (int i = 0; i < sites.size() && samples > 0; i++) {
            LiveObjectSampler.Site site = sites.get(i);
            if (allocated.containsKey(site.stack())) {
                long share = Math.max(site.sizedBytes(), (long) ((double) liveHeap * site.samples() / samples));
                part[i] = Math.max(0, share - given[i]);
                shortfalls += part[i];
            }
        }
        if (shortfalls == 0) {
            return 0;
        }
        for (int i = 0; i < sites.size(); i++) {
            part[i] = Math.min(part[i], (long) ((double) budget * part[i] / shortfalls));
        }
        // Stacks by number, each with the bytes it may still take, and indexed by the frames it has.
        List<List<Frame>> stacks = new ArrayList<>(allocated.keySet());
        long[] left = new long[stacks.size()];
        Map<List<Frame>, Integer> numbers = new HashMap<>();
        Map<Frame, List<Integer>> stacksByFrame = new HashMap<>();
        for (int s = 0; s < stacks.size(); s++) {
            List<Frame> stack = stacks.get(s);
            numbers.put(stack, s);
            left[s] = allocated.get(stack) - bytes.getOrDefault(stack, 0L);
            for (Frame frame : new HashSet<>(stack)) {
                stacksByFrame.computeIfAbsent(frame, f -> new ArrayList<>()).add(s);
            }
        }
        // Level by level, for all sites at once: near relatives fill before any site reaches far ones.
        long handedOut = 0;
        for (int climb = 1; climb <= MAX_CLIMB; climb++) {
            for (int i = 0; i < sites.size(); i++) {
                List<Frame> site = sites.get(i).stack();
                if (part[i] <= 0 || climb >= site.size()) {
                    continue;
                }
                int self = numbers.get(site);
                List<Integer> relatives = new ArrayList<>();
                long room = 0;
                for (int s : stacksByFrame.getOrDefault(site.get(climb), List.of())) {
                    if (left[s] > 0 && s != self && sharesCallers(site, climb, stacks.get(s))) {
                        relatives.add(s);
                        room += left[s];
                    }
                }
                if (room == 0) {
                    continue;
                }
                double fraction = Math.min(1.0, (double) part[i] / room);
                for (int s : relatives) {
                    long share = Math.min(left[s], (long) (left[s] * fraction));
                    left[s] -= share;
                    bytes.merge(stacks.get(s), share, Long::sum);
                    handedOut += share;
                }
                // This level could take all of it (what rounding kept back goes unattributed) or was filled.
                part[i] = fraction < 1.0 ? 0 : part[i] - room;
            }
        }
        return handedOut;
    }

    /**
     * Whether {@code stack} runs under the same callers as {@code site} from frame {@code from} up: as
     * far as both go (a stack cut at the depth limit goes less far), and at least {@value #MIN_SHARED_FRAMES}
     * frames.
     */
    private static boolean sharesCallers(List<Frame> site, int from, List<Frame> stack) {
        // A frame may occur more than once (a filter chain calls itself): try each place.
        for (int at = stack.indexOf(site.get(from)); at >= 0; at = nextIndexOf(stack, site.get(from), at + 1)) {
            int shared = Math.min(site.size() - from, stack.size() - at);
            if (shared >= MIN_SHARED_FRAMES && site.subList(from, from + shared).equals(stack.subList(at, at + shared))) {
                return true;
            }
        }
        return false;
    }

    private static int nextIndexOf(List<Frame> stack, Frame frame, int start) {
        int found = stack.subList(start, stack.size()).indexOf(frame);
        return found < 0 ? -1 : start + found;
    }

    /** The in-use bytes estimated for an allocation stack; 0 if none of its objects were seen alive. */
    long bytes(List<Frame> stack) {
        return bytes.getOrDefault(stack, 0L);
    }

    /** Live heap that no site could be given. */
    long unattributed() {
        return unattributed;
    }
}
