package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code heap} and {@code allocs}: one {@link HeapData}'s data under
 * Go's two names, which differ only in the sample type shown first
 * ({@code inuse_space} and {@code alloc_space}). {@code heap?gc=1} is
 * {@link #afterFullCollection()}; {@code allocs} ignores {@code gc}, as Go's does.
 */
final class HeapProfile implements NamedProfile {

    private final String name;
    private final String description;
    private final String defaultSampleType;

    private final HeapData data;
    private final boolean collect;

    private HeapProfile(String name, String description, String defaultSampleType, HeapData data,
            boolean collect) {
        this.name = name;
        this.description = description;
        this.defaultSampleType = defaultSampleType;
        this.data = data;
        this.collect = collect;
    }

    static HeapProfile heap(HeapData data) {
        return new HeapProfile("heap", Descriptions.of("heap"), null, data, false);
    }

    static HeapProfile allocs(HeapData data) {
        return new HeapProfile("allocs", Descriptions.of("allocs"), "alloc_space", data, false);
    }

    /** For {@code heap}, the same profile, each snapshot taken after a full collection, in-use bytes counted by class. */
    @Override
    public HeapProfile afterFullCollection() {
        return name.equals("heap") ? new HeapProfile(name, description, defaultSampleType, data, true) : this;
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
        return data.allocationSites();
    }

    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() throws IOException, InterruptedException {
        return data.snapshot(defaultSampleType, collect);
    }

    @Override
    public void writeText(int debug, FrameTable frameTable, PrintWriter out) throws IOException, InterruptedException {
        HeapProfileText.write(snapshot(), frameTable, out);
    }
}
