package dev.pprof4j;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The data behind {@code heap} and {@code allocs}: what was allocated where
 * ({@link AllocationSampler}), what of it is still alive
 * ({@link LiveObjectSampler}, {@link JvmMemory#liveHeap()}), combined by
 * {@link InUseEstimate} into Go's four heap sample types.
 */
final class HeapSampler implements AutoCloseable {

    static final List<StackProfile.ValueType> SAMPLE_TYPES = List.of(
            new StackProfile.ValueType("alloc_objects", "count"),
            new StackProfile.ValueType("alloc_space", "bytes"),
            new StackProfile.ValueType("inuse_objects", "count"),
            new StackProfile.ValueType("inuse_space", "bytes"));
    static final int ALLOC_OBJECTS = 0;
    static final int ALLOC_SPACE = 1;
    static final int INUSE_OBJECTS = 2;
    static final int INUSE_SPACE = 3;
    static final Frame UNATTRIBUTED = new Frame("", "[live heap not attributed to a sampled site]", "", 0);
    private static final StackProfile.ValueType PERIOD_TYPE = new StackProfile.ValueType("space", "bytes");

    private final ObjectSizes sizes = new ObjectSizes();
    private final AllocationSampler allocations;
    private final LiveObjectSampler liveObjects;
    private final Instant started = Instant.now();
    private final int samplesPerSecond;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    HeapSampler(int samplesPerSecond, int stackDepth, int maxStacks) {
        this.samplesPerSecond = samplesPerSecond;
        this.allocations = new AllocationSampler(samplesPerSecond, stackDepth, maxStacks, sizes);
        try {
            this.liveObjects = new LiveObjectSampler(stackDepth, sizes);
        } catch (RuntimeException e) {
            allocations.close();
            throw e;
        }
    }

    /** How many distinct allocation stacks have been sampled. */
    int allocationSites() {
        return allocations.counts().size();
    }

    /**
     * Allocated and in-use objects and bytes per stack, as of now.
     *
     * @param defaultSampleType the type clients show first, or null for Go's heap default (the last, inuse_space)
     */
    StackProfile snapshot(String defaultSampleType) throws IOException, InterruptedException {
        // Stamped before waiting: the profile covers what was allocated up to this moment.
        long timeNanos = StackProfile.nowNanos();
        allocations.awaitDelivery();
        long liveHeap = JvmMemory.liveHeap();
        List<LiveObjectSampler.Site> sites = liveObjects.snapshot();
        List<StackProfile.Sample> allocated = allocations.counts().snapshot();

        Map<List<Frame>, Long> allocatedBytes = new HashMap<>();
        long totalBytes = 0;
        long totalSamples = 0;
        for (StackProfile.Sample sample : allocated) {
            allocatedBytes.put(sample.stack(), sample.values()[AllocationSampler.BYTES]);
            totalBytes += sample.values()[AllocationSampler.BYTES];
            totalSamples += sample.values()[AllocationSampler.SAMPLES];
        }
        InUseEstimate inUse = InUseEstimate.of(liveHeap, sites, allocatedBytes);
        Map<List<Frame>, LiveObjectSampler.Site> siteByStack = new HashMap<>();
        long liveSamples = 0;
        long sizedSamples = 0;
        long sizedBytes = 0;
        for (LiveObjectSampler.Site site : sites) {
            siteByStack.put(site.stack(), site);
            liveSamples += site.samples();
            sizedSamples += site.sizedSamples();
            sizedBytes += site.sizedBytes();
        }

        List<StackProfile.Sample> samples = new ArrayList<>();
        for (StackProfile.Sample sample : allocated) {
            LiveObjectSampler.Site site = siteByStack.remove(sample.stack());
            samples.add(combine(sample.stack(), sample.values(), site, inUse.bytes(sample.stack())));
        }
        for (LiveObjectSampler.Site site : siteByStack.values()) {
            samples.add(combine(site.stack(), new long[AllocationSampler.WIDTH], site, inUse.bytes(site.stack())));
        }
        if (inUse.unattributed() > 0) {
            long meanSize = sizedSamples > 0 ? Math.max(1, sizedBytes / sizedSamples) : inUse.unattributed();
            samples.add(new StackProfile.Sample(List.of(UNATTRIBUTED),
                    new long[] {0, 0, Math.max(1, inUse.unattributed() / meanSize), inUse.unattributed()}));
        }
        List<String> comments = List.of(
                "pprof4j heap profile: allocations sampled by JFR (jdk.ObjectAllocationSample, "
                        + samplesPerSecond + "/s) since " + started + "; in-use estimated from "
                        + liveSamples + " live objects sampled by JFR's leak profiler (jdk.OldObjectSample)"
                        + " and " + liveHeap + " bytes of heap live after the last GC",
                "live heap not attributed to a sampled site: " + inUse.unattributed() + " bytes");
        long period = totalSamples > 0 ? Math.max(1, totalBytes / totalSamples) : 1;
        // The allocation figures cover the time since sampling began.
        long durationNanos = timeNanos - (started.getEpochSecond() * 1_000_000_000L + started.getNano());
        return new StackProfile(SAMPLE_TYPES, defaultSampleType, PERIOD_TYPE, period, timeNanos, durationNanos,
                samples, comments);
    }

    /**
     * One stack's four values. Objects are bytes over a mean object size:
     * the sizes of the site's live samples when known, else (allocations
     * only) the class sizes known when sampling; allocations of unknown size
     * with no live sample to size them count one object per sample, a lower
     * bound.
     */
    private static StackProfile.Sample combine(List<Frame> stack, long[] allocated, LiveObjectSampler.Site site,
            long inUseBytes) {
        long liveMeanSize = site != null && site.sizedSamples() > 0
                ? Math.max(1, site.sizedBytes() / site.sizedSamples()) : 0;
        long allocObjects = allocated[AllocationSampler.OBJECTS] + (liveMeanSize > 0
                ? allocated[AllocationSampler.UNSIZED_BYTES] / liveMeanSize
                : allocated[AllocationSampler.UNSIZED_SAMPLES]);
        long allocBytes = allocated[AllocationSampler.BYTES];
        if (allocBytes > 0) {
            allocObjects = Math.max(1, allocObjects);
        }
        long inUseObjects;
        if (inUseBytes == 0) {
            inUseObjects = 0;
        } else if (liveMeanSize > 0) {
            inUseObjects = Math.max(1, inUseBytes / liveMeanSize);
        } else {
            // In-use bytes never exceed allocated bytes without sized live samples, so allocBytes > 0 here.
            inUseObjects = Math.max(1, (long) ((double) inUseBytes * allocObjects / allocBytes));
        }
        return new StackProfile.Sample(stack, new long[] {allocObjects, allocBytes, inUseObjects, inUseBytes});
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            liveObjects.close();
        } finally {
            allocations.close();
        }
    }
}
