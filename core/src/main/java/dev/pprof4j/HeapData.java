package dev.pprof4j;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The data behind {@code heap} and {@code allocs}: what was allocated where
 * ({@link AllocationSampler}), what of it is still alive
 * ({@link LiveObjectSampler}, {@link JvmMemory#liveHeap()}), combined by
 * {@link InUseEstimate} into Go's four heap sample types.
 */
final class HeapData implements AutoCloseable {

    static final List<StackProfile.ValueType> SAMPLE_TYPES = List.of(
            new StackProfile.ValueType("alloc_objects", "count"),
            new StackProfile.ValueType("alloc_space", "bytes"),
            new StackProfile.ValueType("inuse_objects", "count"),
            new StackProfile.ValueType("inuse_space", "bytes"));
    static final int ALLOC_OBJECTS = 0;
    static final int ALLOC_SPACE = 1;
    static final int INUSE_OBJECTS = 2;
    static final int INUSE_SPACE = 3;
    /** The whole live heap, where no live object was sampled to share it by. */
    static final Frame UNATTRIBUTED = new Frame("", "[live heap not attributed to a sampled site]", "", 0);
    /** Names the row of a class that has live bytes but no live sample: {@code [not sampled] [B}. */
    static final String NOT_SAMPLED = "[not sampled] ";
    /** Classes with rows of their own; the rest share one. */
    static final int UNSAMPLED_ROWS = 64;
    private static final StackProfile.ValueType PERIOD_TYPE = new StackProfile.ValueType("space", "bytes");

    private final ObjectSizes sizes = new ObjectSizes();
    private final AllocatedObjects allocatedObjects = new AllocatedObjects();
    private final AllocationSampler allocations;
    /** Null where the leak profiler is off: in-use bytes are then not shared by stack. */
    private final LiveObjectSampler liveObjects;
    private final Instant started = Instant.now();
    private final int samplesPerSecond;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** With JFR's leak profiler. */
    HeapData(int samplesPerSecond, int stackDepth, int maxStacks) {
        this(samplesPerSecond, stackDepth, maxStacks, true);
    }

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    HeapData(int samplesPerSecond, int stackDepth, int maxStacks, boolean withLiveObjects) {
        this.samplesPerSecond = samplesPerSecond;
        this.allocations = new AllocationSampler(samplesPerSecond, stackDepth, maxStacks, sizes);
        try {
            this.liveObjects = withLiveObjects ? new LiveObjectSampler(stackDepth, sizes) : null;
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
     * @param collect whether to collect the whole heap first, and share out each class's live bytes as
     *     the JVM counts them; otherwise the heap after the last collection is shared out
     */
    StackProfile snapshot(String defaultSampleType, boolean collect) throws IOException, InterruptedException {
        // Stamped before waiting: the profile covers what was allocated up to this moment.
        long timeNanos = StackProfile.nowNanos();
        allocations.awaitDelivery();
        ClassHistogram histogram = null;
        if (collect) {
            histogram = ClassHistogram.afterFullCollection();
            if (histogram == null) {
                System.gc();
            }
        }
        // After the collection: the leak profiler forgets the samples it found dead.
        List<LiveObjectSampler.Site> sites = liveObjects == null ? List.of() : liveObjects.snapshot();
        long liveHeap = histogram != null ? histogram.totalBytes() : JvmMemory.liveHeap();
        InUseEstimate inUse = histogram != null ? InUseEstimate.byClass(histogram, sites, allocations.bytesByClass())
                : InUseEstimate.bySamples(liveHeap, sites);
        List<StackProfile.Sample> allocated = allocations.counts().snapshot();

        long totalBytes = 0;
        long totalSamples = 0;
        for (StackProfile.Sample sample : allocated) {
            totalBytes += sample.values()[AllocationSampler.BYTES];
            totalSamples += sample.values()[AllocationSampler.SAMPLES];
        }
        Map<List<Frame>, long[]> liveSizes = new HashMap<>();
        long liveSamples = 0;
        for (LiveObjectSampler.Site site : sites) {
            long[] sizes = liveSizes.computeIfAbsent(site.stack(), s -> new long[2]);
            sizes[0] += site.sizedSamples();
            sizes[1] += site.sizedBytes();
            liveSamples += site.samples();
        }

        // A stack's in-use share goes to its label sets by what each allocated there: the live samples carry
        // no labels, and the labels of an object's moment of allocation are long gone by the time it is old.
        Map<List<Frame>, long[]> bytesAndSets = new HashMap<>();
        for (StackProfile.Sample sample : allocated) {
            long[] byStack = bytesAndSets.computeIfAbsent(sample.stack(), s -> new long[2]);
            byStack[0] += sample.values()[AllocationSampler.BYTES];
            byStack[1]++;
        }
        List<StackProfile.Sample> samples = new ArrayList<>();
        Set<List<Frame>> withShare = new HashSet<>();
        inUse.stacks().forEach(withShare::add);
        for (StackProfile.Sample sample : allocated) {
            withShare.remove(sample.stack());
            long[] byStack = bytesAndSets.get(sample.stack());
            double fraction = byStack[0] > 0 ? (double) sample.values()[AllocationSampler.BYTES] / byStack[0]
                    : 1.0 / byStack[1];
            samples.add(combine(sample.key(), sample.values(), liveSizes.get(sample.stack()),
                    inUse.of(sample.stack()).part(fraction)));
        }
        for (List<Frame> stack : withShare) {
            samples.add(combine(LabelledStack.of(stack), new long[AllocationSampler.WIDTH], null, inUse.of(stack)));
        }
        List<ClassHistogram.Entry> unsampled = inUse.unsampled();
        long unsampledBytes = 0;
        for (int i = 0; i < unsampled.size(); i++) {
            ClassHistogram.Entry entry = unsampled.get(i);
            unsampledBytes += entry.bytes();
            if (i < UNSAMPLED_ROWS) {
                samples.add(new StackProfile.Sample(List.of(new Frame("", NOT_SAMPLED + entry.className(), "", 0)),
                        new long[] {0, 0, entry.instances(), entry.bytes()}));
            }
        }
        if (unsampled.size() > UNSAMPLED_ROWS) {
            long instances = 0;
            long bytes = 0;
            for (ClassHistogram.Entry entry : unsampled.subList(UNSAMPLED_ROWS, unsampled.size())) {
                instances += entry.instances();
                bytes += entry.bytes();
            }
            samples.add(new StackProfile.Sample(List.of(new Frame("", NOT_SAMPLED
                    + (unsampled.size() - UNSAMPLED_ROWS) + " other classes", "", 0)),
                    new long[] {0, 0, instances, bytes}));
        }
        if (sites.isEmpty() && histogram == null && liveHeap > 0) {
            // Counted at the mean allocated size: Go's clients reject in-use bytes with no objects.
            long allocatedObjects = 0;
            for (StackProfile.Sample sample : samples) {
                allocatedObjects += sample.values()[ALLOC_OBJECTS];
            }
            long meanSize = allocatedObjects > 0 ? Math.max(1, totalBytes / allocatedObjects) : liveHeap;
            samples.add(new StackProfile.Sample(List.of(UNATTRIBUTED),
                    new long[] {0, 0, Math.max(1, liveHeap / meanSize), liveHeap}));
        }
        String inUseSource = histogram != null
                ? "each class's live bytes after a full collection (the JVM's class histogram, "
                        + histogram.totalBytes() + " bytes) shared by " + liveSamples
                        + " live objects sampled by JFR's leak profiler (jdk.OldObjectSample)"
                : liveHeap + " bytes of heap live after the last GC shared by " + liveSamples
                        + " live objects sampled by JFR's leak profiler (jdk.OldObjectSample)";
        List<String> comments = List.of(
                "pprof4j heap profile: allocations sampled by JFR (jdk.ObjectAllocationSample, "
                        + samplesPerSecond + "/s) since " + started + "; in-use: " + inUseSource,
                histogram != null
                        ? "[not sampled] rows, live bytes no live sample or path to one explains: "
                                + unsampledBytes + " bytes in " + unsampled.size() + " classes"
                        : "without gc=1 the in-use figures include what died since the last GC");
        List<String> allComments = new ArrayList<>(comments);
        allComments.addAll(allocations.counts().comments());
        long period = totalSamples > 0 ? Math.max(1, totalBytes / totalSamples) : 1;
        // No duration, as Go's: the figures are cumulative, and a duration marks a profile as a delta.
        return new StackProfile(SAMPLE_TYPES, defaultSampleType, PERIOD_TYPE, period, timeNanos, 0,
                samples, allComments);
    }

    /**
     * One stack's four values. Allocated objects are the objects of the class sizes known when sampling,
     * and for arrays a count kept by {@link AllocatedObjects}, so that it never decreases. In-use objects
     * come from the estimate where it knows them, else from the stack's allocated objects per byte.
     *
     * @param liveSizes sized live samples and their bytes at this stack, or null
     */
    private StackProfile.Sample combine(LabelledStack stack, long[] allocated, long[] liveSizes,
            InUseEstimate.Share inUse) {
        long liveMeanSize = liveSizes != null && liveSizes[0] > 0 ? Math.max(1, liveSizes[1] / liveSizes[0]) : 0;
        long unsizedBytes = allocated[AllocationSampler.UNSIZED_BYTES];
        long unsizedSamples = allocated[AllocationSampler.UNSIZED_SAMPLES];
        // Only stacks with allocations of unknown size enter the count, which keeps it as bounded as they are.
        long allocObjects = allocated[AllocationSampler.OBJECTS] + (unsizedBytes > 0 || unsizedSamples > 0
                ? allocatedObjects.unsized(stack, unsizedBytes, unsizedSamples, liveMeanSize) : 0);
        long allocBytes = allocated[AllocationSampler.BYTES];
        if (allocBytes > 0) {
            allocObjects = Math.max(1, allocObjects);
        }
        long inUseObjects = inUse.objects();
        if (inUse.bytes() == 0) {
            inUseObjects = 0;
        } else if (inUseObjects == 0) {
            inUseObjects = allocBytes > 0 ? Math.max(1, (long) ((double) inUse.bytes() * allocObjects / allocBytes)) : 1;
        }
        return new StackProfile.Sample(stack.stack(), new long[] {allocObjects, allocBytes, inUseObjects,
                inUse.bytes()}, stack.labels());
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (liveObjects != null) {
                liveObjects.close();
            }
        } finally {
            allocations.close();
        }
    }
}
