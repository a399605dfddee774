package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code heap} and {@code allocs}: one {@link HeapSampler}'s data under
 * Go's two names, which differ only in the sample type shown first
 * ({@code inuse_space} and {@code alloc_space}).
 */
final class HeapProfile implements NamedProfile {

    private final String name;
    private final String description;
    private final String defaultSampleType;
    private final HeapSampler sampler;
    private final String unavailable;

    private HeapProfile(String name, String description, String defaultSampleType, HeapSampler sampler,
            String unavailable) {
        this.name = name;
        this.description = description;
        this.defaultSampleType = defaultSampleType;
        this.sampler = sampler;
        this.unavailable = unavailable;
    }

    /**
     * @param sampler the data, or null when JFR is unavailable
     * @param unavailable why there is no sampler, said in every answer (503)
     */
    static HeapProfile heap(HeapSampler sampler, String unavailable) {
        return new HeapProfile("heap", "A sampling of memory allocations of live objects. You can specify the gc"
                + " GET parameter to run GC before taking the heap sample.", null, sampler, unavailable);
    }

    static HeapProfile allocs(HeapSampler sampler, String unavailable) {
        return new HeapProfile("allocs", "A sampling of all past memory allocations", "alloc_space", sampler,
                unavailable);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    /** Sampled allocation sites: known at once, unlike the live objects. */
    @Override
    public long count() {
        return sampler == null ? 0 : sampler.allocationSites();
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() throws IOException, InterruptedException {
        return sampler().snapshot(defaultSampleType);
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out) throws IOException, InterruptedException {
        HeapProfileText.write(snapshot(), frameTable, out);
    }

    private HeapSampler sampler() {
        if (sampler == null) {
            throw new JfrUnavailableException(unavailable);
        }
        return sampler;
    }
}
