package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
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
 * site cannot take goes to the others, and what nobody can take stays
 * {@linkplain #unattributed() unattributed}: objects allocated before profiling
 * began, at sites the leak profiler did not sample, or garbage not yet
 * collected.
 */
final class InUseEstimate {

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
        return new InUseEstimate(bytes, Math.max(budget, 0));
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
