package dev.pprof4j;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table of a handler's endpoints by their path below the mount point:
 * the index, Go's special endpoints, one {@link ProfileEndpoint} per named
 * profile, godeltaprof's {@link DeltaProfileEndpoint}s beside heap, mutex
 * and block, and the browser's {@link ViewerEndpoint}. The index lists those with a description from here.
 */
final class Endpoints {

    /** About 150 bytes a frame: a few tens of MB at most, far above a real application's frame count. */
    private static final int FRAME_TABLE_CAPACITY = 1 << 17;
    /** Responses rendered into memory and being sent at once ({@link Renderings}). */
    private static final int RENDERINGS = 4;

    /** The paths of every handler's own endpoints, which no custom profile may take. */
    static final Set<String> BUILT_IN = Set.of("", "cmdline", "profile", "symbol", "trace", "goroutine", "goroutineleak",
            "heap", "allocs", "threadcreate", "mutex", "block", "delta_heap", "delta_mutex", "delta_block",
            ViewerEndpoint.NAME);

    private final Map<String, Endpoint> byName = new TreeMap<>();

    /**
     * What building the table would find, checked before it is built.
     *
     * @throws IllegalArgumentException if two custom profiles share a name, or one takes a built-in's
     */
    static void requireDistinctNames(List<CustomProfile> custom) {
        Set<String> names = new HashSet<>(BUILT_IN);
        for (CustomProfile profile : custom) {
            if (!names.add(profile.name())) {
                throw new IllegalArgumentException(taken(profile.name()));
            }
        }
    }

    private static String taken(String name) {
        return "a profile named \"" + name + "\" already exists";
    }

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
        add(new ViewerEndpoint());
        for (NamedProfile profile : profiles.named()) {
            add(new ProfileEndpoint(profile, renderings, limit, frameTable, encoder));
            if (DeltaProfileEndpoint.SOURCES.contains(profile.name())) {
                add(new DeltaProfileEndpoint(profile, renderings, encoder));
            }
        }
    }

    private void add(Endpoint endpoint) {
        if (byName.putIfAbsent(endpoint.name(), endpoint) != null) {
            throw new IllegalArgumentException(taken(endpoint.name()));
        }
    }

    /** The paths of the endpoints, below the mount point without their slash. */
    Set<String> names() {
        return byName.keySet();
    }

    /**
     * The endpoint at {@code name}, the path below the mount point without its slash; or null. The viewer
     * answers for every path below its own.
     */
    Endpoint get(String name) {
        Endpoint endpoint = byName.get(name);
        return endpoint == null && name.startsWith(ViewerEndpoint.NAME + "/") ? byName.get(ViewerEndpoint.NAME)
                : endpoint;
    }
}
