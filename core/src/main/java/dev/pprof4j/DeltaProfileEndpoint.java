package dev.pprof4j;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code /debug/pprof/delta_heap}, {@code delta_mutex} and {@code delta_block}:
 * grafana/pyroscope-go's {@code godeltaprof} handlers, which Grafana Alloy
 * scrapes as {@code godeltaprof_memory}, {@code godeltaprof_mutex} and
 * {@code godeltaprof_block}. Each answers its profile's change since the
 * previous request to the same path, in the cumulative profile's own format,
 * so that the scraper keeps no state.
 *
 * <p>As godeltaprof's {@code delta_heap.go} and {@code delta_mutex.go} do:
 * the first answer holds everything since sampling began; the counters
 * ({@code alloc_*}, {@code contentions}, {@code delay}) are deltas and the
 * in-use values ({@code inuse_*}) are as of now; a row whose delta is
 * negative or all zero is left out; {@code gc=1} collects first on
 * {@code delta_heap}; every other parameter is ignored; no
 * {@code duration_nanos} is set.
 *
 * <p>There is one previous snapshot per path and per handler, shared by
 * every client, as godeltaprof keeps one per process: two scrapers of one
 * path each get only the changes since the other's last request, and only
 * together every change, once. Requests to one path take turns from
 * snapshot to encoded body, so that no two get the same change.
 */
final class DeltaProfileEndpoint implements Endpoint {

    /** The profiles godeltaprof serves as deltas, each at {@code delta_<name>}. */
    static final Set<String> SOURCES = Set.of("heap", "mutex", "block");

    /**
     * What is subtracted: the counters Alloy subtracts itself on the cumulative paths, as {@code type/unit}
     * (strings, not value types: a record's first hash costs a handler's creation milliseconds).
     */
    private static final Set<String> COUNTERS = Set.of("alloc_objects/count", "alloc_space/bytes",
            "contentions/count", "delay/nanoseconds");

    private final NamedProfile profile;
    private final Renderings renderings;
    private final ProfileEncoder encoder;
    private final ReentrantLock turn = new ReentrantLock();
    /** The counters of the last snapshot answered, or null before the first; guarded by {@link #turn}. */
    private StackProfile previous;

    DeltaProfileEndpoint(NamedProfile profile, Renderings renderings, ProfileEncoder encoder) {
        this.profile = profile;
        this.renderings = renderings;
        this.encoder = encoder;
    }

    @Override
    public String name() {
        return "delta_" + profile.name();
    }

    /**
     * Not on the index: Go's has none of them (godeltaprof adds them to the mux, not to the profiles the index
     * lists), and the index's link would take a scraper's changes.
     */
    @Override
    public String description() {
        return null;
    }

    @Override
    public long count() {
        return profile.count();
    }

    /** godeltaprof's {@code writeDeltaProfile}: a download named as there, {@code heap.pprof.gz}. */
    @Override
    public Response respond(PprofExchange exchange) throws IOException, InterruptedException {
        NamedProfile source = ProfileEndpoint.collectingIfAsked(profile, RequestParameters.of(exchange));
        return renderings.render(() -> Response.attachment(profile.name() + ".pprof.gz", next(source)));
    }

    /** The change since the previous request, encoded; only then is it the previous one, so a failure loses none. */
    private byte[] next(NamedProfile source) throws IOException, InterruptedException {
        turn.lockInterruptibly();
        try {
            StackProfile current = source.snapshot();
            byte[] body = encoder.encode(since(previous, current));
            previous = counters(current);
            return body;
        } finally {
            turn.unlock();
        }
    }

    /**
     * {@code current} with its counters less those of {@code previous}, the
     * counters of an earlier snapshot (null: none, so all since sampling
     * began), its other values as they are, and only the rows that changed
     * without going down.
     */
    private static StackProfile since(StackProfile previous, StackProfile current) {
        StackProfile baseline = previous != null ? previous : withSamples(current, List.of(), List.of());
        List<StackProfile.Sample> changed = new ArrayList<>();
        for (StackProfile.Sample sample : current.minus(baseline).samples()) {
            if (isNonNegative(sample.values())) {
                changed.add(sample);
            }
        }
        List<String> comments = new ArrayList<>();
        comments.add(whatChanged(previous, current));
        comments.addAll(current.comments());
        return withSamples(current, changed, comments);
    }

    /** The snapshot's counters alone, in the rows that have any: the next delta's baseline. */
    private static StackProfile counters(StackProfile snapshot) {
        List<StackProfile.ValueType> types = snapshot.sampleTypes();
        List<StackProfile.Sample> rows = new ArrayList<>();
        for (StackProfile.Sample sample : snapshot.samples()) {
            long[] values = new long[types.size()];
            boolean counted = false;
            for (int i = 0; i < values.length; i++) {
                if (isCounter(types.get(i))) {
                    values[i] = sample.values()[i];
                    counted |= values[i] != 0;
                }
            }
            if (counted) {
                rows.add(new StackProfile.Sample(sample.stack(), values, sample.labels()));
            }
        }
        return withSamples(snapshot, rows, List.of());
    }

    /** For {@code go tool pprof -comments}: what the values cover. */
    private static String whatChanged(StackProfile previous, StackProfile current) {
        List<String> counted = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (StackProfile.ValueType type : current.sampleTypes()) {
            (isCounter(type) ? counted : kept).add(type.type());
        }
        String since = previous == null ? "sampling began (the first request to this path)"
                : "the previous request to this path, at " + Instant.ofEpochSecond(0, previous.timeNanos());
        return "delta: " + String.join(", ", counted) + " since " + since
                + (kept.isEmpty() ? "" : "; " + String.join(", ", kept) + " as of now");
    }

    private static boolean isCounter(StackProfile.ValueType type) {
        return COUNTERS.contains(type.type() + "/" + type.unit());
    }

    private static boolean isNonNegative(long[] values) {
        for (long value : values) {
            if (value < 0) {
                return false;
            }
        }
        return true;
    }

    /** The profile with these rows; no {@code duration_nanos}, as godeltaprof sets none. */
    private static StackProfile withSamples(StackProfile profile, List<StackProfile.Sample> samples,
            List<String> comments) {
        return new StackProfile(profile.sampleTypes(), profile.defaultSampleType(), profile.periodType(),
                profile.period(), profile.timeNanos(), 0, samples, comments);
    }
}
