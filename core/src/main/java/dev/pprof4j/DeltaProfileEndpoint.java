package dev.pprof4j;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /debug/pprof/delta_heap}, {@code delta_mutex} and {@code delta_block}:
 * grafana/pyroscope-go's {@code godeltaprof}, which Grafana Alloy scrapes as
 * {@code godeltaprof_memory}, {@code godeltaprof_mutex} and
 * {@code godeltaprof_block}. Each answer is the profile's change since the
 * previous request to the same path, in the cumulative profile's own format,
 * so that the scraper keeps no state.
 *
 * <p>As godeltaprof's {@code delta_heap.go} and {@code delta_mutex.go} do:
 * the first answer holds everything since sampling began; the cumulative
 * values ({@code alloc_*}, {@code contentions}, {@code delay}) are deltas and
 * the in-use ones ({@code inuse_*}) are as of now; a stack whose delta is
 * negative or all zero is left out; {@code gc=1} collects first on
 * {@code delta_heap}; every other parameter is ignored; no
 * {@code duration_nanos} is set.
 *
 * <p>The previous snapshot is one per path and per handler, as godeltaprof's
 * is one per process, and requests to a path take their turn. So two
 * scrapers of one path each receive part of the changes, and neither all of
 * them: give a path one scraper, or scrape the cumulative profile, of which
 * each scraper makes its own deltas.
 */
final class DeltaProfileEndpoint implements Endpoint {

    private final NamedProfile profile;
    /** How many leading sample types are cumulative: the rest are copied as they are. */
    private final int cumulativeTypes;
    private final Renderings renderings;
    private final ProfileEncoder encoder;
    /** Guarded by itself; also makes requests to this path take their turn. */
    private final Map<List<Frame>, long[]> previous = new HashMap<>();

    private DeltaProfileEndpoint(NamedProfile profile, int cumulativeTypes, Renderings renderings,
            ProfileEncoder encoder) {
        this.profile = profile;
        this.cumulativeTypes = cumulativeTypes;
        this.renderings = renderings;
        this.encoder = encoder;
    }

    /** {@code delta_heap}: alloc_objects and alloc_space as deltas, the in-use types as of now. */
    static DeltaProfileEndpoint heap(NamedProfile heap, Renderings renderings, ProfileEncoder encoder) {
        return new DeltaProfileEndpoint(heap, HeapData.INUSE_OBJECTS, renderings, encoder);
    }

    /** {@code delta_mutex} or {@code delta_block}: contentions and delay as deltas. */
    static DeltaProfileEndpoint contention(NamedProfile contention, Renderings renderings, ProfileEncoder encoder) {
        return new DeltaProfileEndpoint(contention, ContentionProfile.SAMPLE_TYPES.size(), renderings, encoder);
    }

    @Override
    public String name() {
        return "delta_" + profile.name();
    }

    /** Not on the index, as Go's and godeltaprof's index has none of them: a scraper asks for them by path. */
    @Override
    public String description() {
        return null;
    }

    @Override
    public Response respond(PprofExchange exchange) throws IOException, InterruptedException {
        NamedProfile source = ProfileEndpoint.collectingIfAsked(profile, RequestParameters.of(exchange));
        return renderings.render(() -> {
            StackProfile delta;
            synchronized (previous) {
                delta = sinceLastRequest(source.snapshot());
            }
            return Response.attachment(profile.name() + ".pprof.gz", encoder.encode(delta));
        });
    }

    /** The change since the snapshot of the previous request, which {@code current} then replaces. */
    private StackProfile sinceLastRequest(StackProfile current) {
        List<StackProfile.Sample> changed = new ArrayList<>();
        Map<List<Frame>, long[]> now = new HashMap<>();
        for (StackProfile.Sample sample : current.samples()) {
            long[] values = sample.values();
            now.merge(sample.stack(), values.clone(), DeltaProfileEndpoint::sum);
        }
        now.forEach((stack, values) -> {
            long[] before = previous.get(stack);
            long[] delta = values.clone();
            boolean negative = false;
            boolean nonZero = false;
            for (int i = 0; i < delta.length; i++) {
                if (i < cumulativeTypes && before != null) {
                    delta[i] -= before[i];
                }
                negative |= delta[i] < 0;
                nonZero |= delta[i] != 0;
            }
            if (nonZero && !negative) {
                changed.add(new StackProfile.Sample(stack, delta));
            }
        });
        previous.clear();
        previous.putAll(now);
        List<String> comments = new ArrayList<>(current.comments());
        comments.add("pprof4j " + name() + ": the change since the previous request to this path (everything"
                + " since sampling began on the first); " + (cumulativeTypes < current.sampleTypes().size()
                        ? "in-use values are as of now" : "all values are deltas"));
        return new StackProfile(current.sampleTypes(), current.defaultSampleType(), current.periodType(),
                current.period(), current.timeNanos(), 0, changed, comments);
    }

    private static long[] sum(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }
}
