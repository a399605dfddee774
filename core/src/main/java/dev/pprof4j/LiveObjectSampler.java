package dev.pprof4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;

/**
 * Which sampled objects are still alive, and where they were allocated:
 * JFR's leak profiler ({@code jdk.OldObjectSample}).
 *
 * <p>While a recording has the event enabled, the JVM keeps a small queue
 * (256 by default) of sampled objects, drops them as they die, and writes
 * them out only when a recording stops or is dumped; streams never see them.
 * So this sampler keeps one recording running to keep the queue alive, and
 * for each snapshot starts and stops a short second recording, whose file
 * holds exactly one report of the live samples. The cutoff of 0 skips the
 * search for paths to GC roots, which is what makes a report cost
 * milliseconds rather than seconds.
 */
final class LiveObjectSampler implements AutoCloseable {

    static final String EVENT = "jdk.OldObjectSample";
    /** Columns of a site while reading. */
    private static final int SAMPLES = 0;
    private static final int SIZED_SAMPLES = 1;
    private static final int SIZED_BYTES = 2;

    private final int stackDepth;
    private final ObjectSizes sizes;
    private final Recording keeper;

    /**
     * Live samples of one class allocated at one stack.
     *
     * @param className the class as {@link Class#getName()} names it, or null if JFR did not say
     * @param samples how many sampled objects of the class allocated there are alive
     * @param sizedSamples how many of them have a known size
     * @param sizedBytes the sum of those known sizes
     */
    record Site(List<Frame> stack, String className, long samples, long sizedSamples, long sizedBytes) {
    }

    private record Origin(List<Frame> stack, String className) {
    }

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    LiveObjectSampler(int stackDepth, ObjectSizes sizes) {
        this.stackDepth = stackDepth;
        this.sizes = sizes;
        JfrUnavailableException.requireFlightRecorder();
        try {
            keeper = newRecording("pprof4j live objects");
            keeper.setToDisk(false);
            keeper.start();
        } catch (RuntimeException e) {
            throw new JfrUnavailableException(JfrUnavailableException.COULD_NOT_START, e);
        }
    }

    /** The live sampled objects, grouped by allocation stack and class. */
    synchronized List<Site> snapshot() throws IOException {
        Path file = Files.createTempFile("pprof4j-live-objects", ".jfr");
        try (Recording report = newRecording("pprof4j live objects report")) {
            report.start();
            report.stop();
            report.dump(file);
            return read(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private List<Site> read(Path file) throws IOException {
        Map<Origin, long[]> bySite = new HashMap<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals(EVENT)) {
                    continue;
                }
                List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
                RecordedClass type = type(event);
                Origin origin = new Origin(stack.isEmpty() ? List.of(Frame.NO_JAVA_FRAMES) : stack,
                        type == null ? null : type.getName());
                long[] site = bySite.computeIfAbsent(origin, o -> new long[3]);
                site[SAMPLES]++;
                long size = size(event, type);
                if (size > 0) {
                    site[SIZED_SAMPLES]++;
                    site[SIZED_BYTES] += size;
                }
            }
        }
        List<Site> sites = new ArrayList<>(bySite.size());
        bySite.forEach((origin, site) -> sites.add(new Site(origin.stack(), origin.className(), site[SAMPLES],
                site[SIZED_SAMPLES], site[SIZED_BYTES])));
        return sites;
    }

    /** The object's size: JDK 25 records it; before, arrays are sized by length and instances by class. */
    private long size(RecordedEvent event, RecordedClass type) {
        if (event.hasField("objectSize")) {
            return event.getLong("objectSize");
        }
        if (type == null) {
            return ObjectSizes.UNKNOWN;
        }
        int elements = event.getInt("arrayElements");
        if (type.getName().startsWith("[")) {
            return elements >= 0 ? ObjectSizes.arraySize(type.getName(), elements) : ObjectSizes.UNKNOWN;
        }
        return sizes.instanceSize(type.getName());
    }

    private static RecordedClass type(RecordedEvent event) {
        RecordedObject object = event.getValue("object");
        return object == null ? null : object.getValue("type");
    }

    private static Recording newRecording(String name) {
        Recording recording = new Recording();
        recording.setName(name);
        recording.enable(EVENT).withStackTrace().with("cutoff", "0 ns");
        return recording;
    }

    @Override
    public void close() {
        keeper.close();
    }
}
