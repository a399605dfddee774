package dev.pprof4j;

import java.util.Map;
import java.util.TreeMap;

/**
 * The table of a handler's endpoints by their path below the mount point:
 * the index, Go's special endpoints, one {@link ProfileEndpoint} per named
 * profile, and godeltaprof's {@link DeltaProfileEndpoint}s beside heap, mutex
 * and block. The index lists those with a description from here.
 */
final class Endpoints {

    /** About 150 bytes a frame: a few tens of MB at most, far above a real application's frame count. */
    private static final int FRAME_TABLE_CAPACITY = 1 << 17;
    /** Responses rendered into memory and being sent at once ({@link Renderings}). */
    private static final int RENDERINGS = 4;

    private final Map<String, Endpoint> byName = new TreeMap<>();

    /** @throws IllegalArgumentException if two profiles share a name, or a custom one takes a built-in's */
    Endpoints(PprofOptions options, Profiles profiles) {
        FrameTable frameTable = new FrameTable(FRAME_TABLE_CAPACITY);
        ProfileEncoder encoder = new ProfileEncoder(frameTable, CommandLine.programName());
        TimedProfileLimit limit = new TimedProfileLimit(options.maxProfileDuration(), options.maxConcurrentProfiles());
        Renderings renderings = new Renderings(RENDERINGS);
        add(new IndexEndpoint(byName.values()));
        add(new CommandLineEndpoint());
        add(new CpuProfileEndpoint(profiles.cpu(), profiles.cpuUnavailable(), limit, encoder));
        add(new SymbolEndpoint(frameTable));
        add(new TraceEndpoint(limit));
        for (NamedProfile profile : profiles.named()) {
            add(new ProfileEndpoint(profile, renderings, limit, frameTable, encoder));
            if (DeltaProfileEndpoint.SOURCES.contains(profile.name())) {
                add(new DeltaProfileEndpoint(profile, renderings, encoder));
            }
        }
    }

    private void add(Endpoint endpoint) {
        if (byName.putIfAbsent(endpoint.name(), endpoint) != null) {
            throw new IllegalArgumentException("a profile named \"" + endpoint.name() + "\" already exists");
        }
    }

    /** The endpoint at {@code name}, the path below the mount point without its slash; or null. */
    Endpoint get(String name) {
        return byName.get(name);
    }
}
