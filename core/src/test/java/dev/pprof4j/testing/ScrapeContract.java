package dev.pprof4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * What Grafana Alloy's {@code pyroscope.scrape}, Pyroscope's ingestion and
 * Parca check of a scraped profile (as read from grafana/alloy
 * {@code internal/component/pyroscope/scrape},
 * grafana/pyroscope {@code pkg/validation/validate.go}, parca-dev/parca
 * {@code pkg/scrape} and {@code pkg/normalizer}), and Alloy's client-side
 * delta of two scrapes.
 */
public final class ScrapeContract {

    /** The sample types Alloy subtracts itself, as {@code type/unit}. */
    public static final Set<String> DELTA_TYPES = Set.of("alloc_objects/count", "alloc_space/bytes",
            "contentions/count", "delay/nanoseconds");
    /** Profiles Go serves without a duration: Parca stores any profile with one as a delta. */
    private static final Set<String> CUMULATIVE = Set.of("allocs", "heap", "goroutine", "mutex", "block");
    private static final int MAX_UNCOMPRESSED = 4 << 20;
    private static final int MAX_SAMPLES = 16_000;
    private static final int MAX_LABELS = 100;

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ScrapeContract() {
    }

    /** One scrape's answer: what came back, how long it took, and the profile in it. */
    public record Scrape(String path, int status, String contentType, byte[] body, long millis,
            ProfileProto.Profile profile) {
    }

    /**
     * A GET as Alloy sends it: its user agent, no {@code Accept}, no {@code Accept-Encoding}, its timeout.
     * The JDK's client adds neither header.
     */
    public static Scrape get(String mount, String path, String userAgent, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(mount + "/" + path)).timeout(timeout)
                .header("User-Agent", userAgent).GET().build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        return new Scrape(path, response.statusCode(), contentType, response.body(), millis, null);
    }

    /** Every check Alloy, Pyroscope and Parca make of one answer; returns it with its profile parsed. */
    public static Scrape accept(Scrape scrape, String profileName) throws IOException, InterruptedException {
        String what = scrape.path();
        // Alloy: 2xx (Parca: exactly 200), non-empty, octet-stream, not HTML or JSON.
        assertThat(scrape.status()).as(what).isEqualTo(200);
        assertThat(scrape.body()).as(what).isNotEmpty();
        assertThat(scrape.contentType()).as(what).startsWith("application/octet-stream");
        assertThat(scrape.body()[0] & 0xff).as(what + ": gzip, not text").isEqualTo(0x1f);
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(scrape.body()))) {
            raw = in.readAllBytes();
        }
        assertThat(raw.length).as(what + ": uncompressed bytes").isLessThanOrEqualTo(MAX_UNCOMPRESSED);
        ProfileProto.Profile profile = ProfileProto.Profile.parseFrom(raw);

        // Pyroscope's validation.
        assertThat(profile.getSampleTypeCount()).as(what).isPositive();
        assertThat(profile.getStringTable(0)).as(what).isEmpty();
        for (int i = 0; i < profile.getStringTableCount(); i++) {
            assertThat(profile.getStringTableBytes(i).isValidUtf8()).as(what + ": UTF-8 string " + i).isTrue();
        }
        for (ProfileProto.ValueType type : profile.getSampleTypeList()) {
            assertThat(profile.getStringTable((int) type.getType())).as(what).doesNotContain("-");
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        assertThat(profile.getTimeNanos()).as(what + ": time_nanos")
                .isBetween(now - TimeUnit.HOURS.toNanos(1), now + TimeUnit.MINUTES.toNanos(10));
        assertThat(profile.getSampleCount()).as(what + ": samples").isLessThanOrEqualTo(MAX_SAMPLES);
        // Pyroscope drops a sample with any negative value. A server-side delta (seconds=N) subtracts
        // gauges too, as Go's does (in-use memory, goroutines), and those go down: only its counters are
        // held to it.
        List<String> columns = types(profile);
        boolean serverDelta = what.contains("seconds=");
        for (ProfileProto.Sample sample : profile.getSampleList()) {
            assertThat(sample.getValueCount()).as(what).isEqualTo(profile.getSampleTypeCount());
            assertThat(sample.getLabelCount()).as(what).isLessThanOrEqualTo(MAX_LABELS);
            for (int i = 0; i < sample.getValueCount(); i++) {
                if (!serverDelta || DELTA_TYPES.contains(columns.get(i))) {
                    assertThat(sample.getValue(i)).as(what + ": " + columns.get(i)).isNotNegative();
                }
            }
            // Parca: every sample location in range.
            assertThat(sample.getLocationIdList()).as(what)
                    .allMatch(id -> id >= 1 && id <= profile.getLocationCount());
        }
        // Parca: ids equal index + 1 (so none is 0, as Pyroscope requires); addresses non-zero.
        for (int i = 0; i < profile.getMappingCount(); i++) {
            assertThat(profile.getMapping(i).getId()).as(what + ": mapping id").isEqualTo(i + 1);
        }
        for (int i = 0; i < profile.getLocationCount(); i++) {
            ProfileProto.Location location = profile.getLocation(i);
            assertThat(location.getId()).as(what + ": location id").isEqualTo(i + 1);
            assertThat(location.getAddress()).as(what + ": location address").isNotZero();
            assertThat(location.getLineList()).as(what).allMatch(line -> line.getFunctionId() != 0);
        }
        for (int i = 0; i < profile.getFunctionCount(); i++) {
            assertThat(profile.getFunction(i).getId()).as(what + ": function id").isEqualTo(i + 1);
        }
        if (CUMULATIVE.contains(profileName) && !serverDelta) {
            assertThat(profile.getDurationNanos()).as(what + ": duration_nanos of a cumulative profile").isZero();
        }
        switch (profileName) {
            case "allocs" -> assertThat(columns).as(what).containsSubsequence("alloc_objects/count", "alloc_space/bytes");
            case "mutex", "block" -> assertThat(columns).as(what).containsExactly("contentions/count",
                    "delay/nanoseconds");
            case "profile" -> {
                assertThat(columns).as(what).containsExactly("samples/count", "cpu/nanoseconds");
                assertThat(profile.getDurationNanos()).as(what).isPositive();
            }
            default -> {
            }
        }
        // The reference client reads it too.
        GoPprof.Run read = GoPprof.run("-raw", GoPprof.save(scrape.body(), profileName + ".pb.gz").toString());
        assertThat(read.exitCode()).as(what + ": " + read.stderr()).isZero();
        return new Scrape(scrape.path(), scrape.status(), scrape.contentType(), scrape.body(), scrape.millis(),
                profile);
    }

    /** {@code type/unit} of each sample type. */
    public static List<String> types(ProfileProto.Profile profile) {
        List<String> types = new ArrayList<>();
        for (ProfileProto.ValueType type : profile.getSampleTypeList()) {
            types.add(profile.getStringTable((int) type.getType()) + "/" + profile.getStringTable((int) type.getUnit()));
        }
        return types;
    }

    /**
     * Alloy's client-side delta: samples keyed by their locations' addresses and labels, the previous
     * scrape's values subtracted for {@link #DELTA_TYPES} only, all-zero samples dropped. Each key maps to
     * its values, and to the frames ({@code function:line}, leaf first) of its locations in {@code frames}.
     */
    public static Map<List<Object>, long[]> addressKeyedDelta(ProfileProto.Profile previous,
            ProfileProto.Profile current, Map<List<Object>, List<String>> frames) {
        return delta(previous, current, true, frames);
    }

    /** The same delta keyed by the frames' function names and lines instead of addresses. */
    public static Map<List<Object>, long[]> symbolicDelta(ProfileProto.Profile previous,
            ProfileProto.Profile current) {
        return delta(previous, current, false, null);
    }

    private static Map<List<Object>, long[]> delta(ProfileProto.Profile previous, ProfileProto.Profile current,
            boolean byAddress, Map<List<Object>, List<String>> frames) {
        Map<List<Object>, long[]> before = byKey(previous, byAddress, null);
        Map<List<Object>, long[]> delta = new HashMap<>();
        boolean[] subtracted = deltaColumns(current);
        byKey(current, byAddress, frames).forEach((key, values) -> {
            long[] old = before.get(key);
            long[] result = values.clone();
            boolean nonZero = false;
            for (int i = 0; i < result.length; i++) {
                if (subtracted[i] && old != null) {
                    result[i] -= old[i];
                }
                nonZero |= result[i] != 0;
            }
            if (nonZero) {
                delta.put(key, result);
            }
        });
        return delta;
    }

    private static boolean[] deltaColumns(ProfileProto.Profile profile) {
        List<String> types = types(profile);
        boolean[] columns = new boolean[types.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = DELTA_TYPES.contains(types.get(i));
        }
        return columns;
    }

    /** Values summed per key: addresses (or frames) then labels. */
    private static Map<List<Object>, long[]> byKey(ProfileProto.Profile profile, boolean byAddress,
            Map<List<Object>, List<String>> frames) {
        Map<List<Object>, long[]> sums = new HashMap<>();
        for (ProfileProto.Sample sample : profile.getSampleList()) {
            List<Object> key = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (long id : sample.getLocationIdList()) {
                ProfileProto.Location location = profile.getLocation((int) id - 1);
                String name = frame(profile, location);
                names.add(name);
                key.add(byAddress ? (Object) location.getAddress() : name);
            }
            for (ProfileProto.Label label : sample.getLabelList()) {
                key.add(profile.getStringTable((int) label.getKey()) + "=" + profile.getStringTable((int) label.getStr()));
            }
            long[] values = sums.computeIfAbsent(key, k -> new long[sample.getValueCount()]);
            for (int i = 0; i < values.length; i++) {
                values[i] += sample.getValue(i);
            }
            if (frames != null) {
                frames.put(key, names);
            }
        }
        return sums;
    }

    /** {@code function:line} of a location's innermost line. */
    public static String frame(ProfileProto.Profile profile, ProfileProto.Location location) {
        ProfileProto.Line line = location.getLine(0);
        ProfileProto.Function function = profile.getFunction((int) line.getFunctionId() - 1);
        return profile.getStringTable((int) function.getName()) + ":" + line.getLine();
    }
}
