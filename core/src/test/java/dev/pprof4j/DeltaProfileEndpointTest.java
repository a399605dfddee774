package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.proto.ProfileProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The delta paths' arithmetic and turns, on profiles whose snapshots the test writes, as godeltaprof's tests do. */
class DeltaProfileEndpointTest {

    private static final List<Frame> A = List.of(Frame.of("a.A", "run", "A.java", 1));
    private static final List<Frame> B = List.of(Frame.of("b.B", "run", "B.java", 2));
    private static final List<Frame> C = List.of(Frame.of("c.C", "run", "C.java", 3));
    private static final List<Frame> D = List.of(Frame.of("d.D", "run", "D.java", 4));
    private static final List<StackProfile.ValueType> CONTENTION = List.of(
            new StackProfile.ValueType("contentions", "count"), new StackProfile.ValueType("delay", "nanoseconds"));

    private final ProfileEncoder encoder = new ProfileEncoder(new FrameTable(100), "test");

    @Test
    void heapCountersAreDeltasAndInUseValuesAreAsTheyAreNow() throws Exception {
        List<StackProfile> snapshots = List.of(
                heap(row(A, 10, 1000, 2, 200), row(B, 5, 500, 0, 0), row(C, 1, 100, 1, 100)),
                heap(row(A, 15, 1500, 1, 100), row(B, 5, 500, 0, 0), row(C, 1, 100, 1, 100), row(D, 3, 300, 3, 300)),
                heap(row(A, 15, 1500, 0, 0), row(B, 5, 500, 0, 0), row(C, 1, 100, 1, 100), row(D, 3, 300, 3, 300)));
        DeltaProfileEndpoint endpoint = endpoint(new Scripted("heap", snapshots));

        // The first has everything since sampling began, but the row that never had anything.
        assertThat(rows(answer(endpoint))).containsExactlyInAnyOrder(
                new Row(A, List.of(10L, 1000L, 2L, 200L)), new Row(B, List.of(5L, 500L, 0L, 0L)),
                new Row(C, List.of(1L, 100L, 1L, 100L)));
        // B did not change: left out. C allocated nothing more but is still in use: there, as godeltaprof keeps it.
        assertThat(rows(answer(endpoint))).containsExactlyInAnyOrder(
                new Row(A, List.of(5L, 500L, 1L, 100L)), new Row(C, List.of(0L, 0L, 1L, 100L)),
                new Row(D, List.of(3L, 300L, 3L, 300L)));
        assertThat(rows(answer(endpoint))).containsExactlyInAnyOrder(
                new Row(C, List.of(0L, 0L, 1L, 100L)), new Row(D, List.of(0L, 0L, 3L, 300L)));
    }

    @Test
    void contentionCountersAreDeltasAndRowsThatWentDownAreLeftOut() throws Exception {
        List<StackProfile> snapshots = List.of(
                contention(row(A, 2, 2000), row(B, 4, 4000)),
                contention(row(A, 3, 2500), row(B, 3, 4500)),
                contention(row(A, 3, 2500), row(B, 4, 5000)));
        DeltaProfileEndpoint endpoint = endpoint(new Scripted("mutex", snapshots));

        assertThat(rows(answer(endpoint))).containsExactlyInAnyOrder(
                new Row(A, List.of(2L, 2000L)), new Row(B, List.of(4L, 4000L)));
        // B's count went down, which no pprof reader takes: the row is dropped, as godeltaprof drops it.
        assertThat(rows(answer(endpoint))).containsExactly(new Row(A, List.of(1L, 500L)));
        assertThat(rows(answer(endpoint))).containsExactly(new Row(B, List.of(1L, 500L)));
    }

    @Test
    void theAnswerIsGodeltaprofsDownload() throws Exception {
        DeltaProfileEndpoint endpoint = endpoint(new Scripted("block", List.of(contention(row(A, 1, 10)))));
        assertThat(endpoint.name()).isEqualTo("delta_block");
        assertThat(endpoint.description()).as("on the index, as in Go's: none").isNull();

        Response response = endpoint.respond(exchange());
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/octet-stream")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Content-Disposition", "attachment; filename=\"block.pprof.gz\"");
        ProfileProto.Profile profile = parse(response.body());
        assertThat(profile.getStringTable((int) profile.getPeriodType().getType())).isEqualTo("contentions");
        assertThat(profile.getPeriod()).isEqualTo(1);
        assertThat(profile.getDurationNanos()).isZero();
        assertThat(profile.getTimeNanos()).isPositive();
        assertThat(profile.getCommentList()).extracting(index -> profile.getStringTable(index.intValue()))
                .contains("delta: contentions, delay since sampling began (the first request to this path)");
    }

    /** Each request's delta starts where the one before ended, whatever their overlap: no change is counted twice or lost. */
    @Test
    void simultaneousRequestsTakeTurnsAndTogetherSeeEveryChangeOnce() throws Exception {
        AtomicLong contentions = new AtomicLong();
        NamedProfile growing = new Scripted("mutex", () -> {
            long now = contentions.addAndGet(10);
            // As long as a snapshot waits for JFR, in small: long enough for the requests to overlap.
            Thread.sleep(20);
            return contention(row(A, now, now * 1000));
        });
        DeltaProfileEndpoint endpoint = endpoint(growing);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Row>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(clients.submit(() -> rows(answer(endpoint))));
            }
            long seen = 0;
            for (Future<List<Row>> answer : answers) {
                List<Row> rows = answer.get();
                assertThat(rows).hasSize(1);
                seen += rows.get(0).values().get(0);
            }
            assertThat(seen).isEqualTo(contentions.get()).isEqualTo(160);
        } finally {
            clients.shutdown();
        }
    }

    /** A sample as the test reads it back. */
    private record Row(List<Frame> stack, List<Long> values) {
    }

    private DeltaProfileEndpoint endpoint(NamedProfile profile) {
        return new DeltaProfileEndpoint(profile, new Renderings(4), encoder);
    }

    private static ProfileProto.Profile answer(DeltaProfileEndpoint endpoint) throws Exception {
        Response response = endpoint.respond(exchange());
        response.afterSend().run();
        return parse(response.body());
    }

    /** Each sample as its stack and values, the stack matched by its one frame's class. */
    private static List<Row> rows(ProfileProto.Profile profile) {
        List<Row> rows = new ArrayList<>();
        for (ProfileProto.Sample sample : profile.getSampleList()) {
            assertThat(sample.getValueList()).as("a delta row").allMatch(v -> v >= 0).anyMatch(v -> v != 0);
            ProfileProto.Location location = profile.getLocationList().stream()
                    .filter(l -> l.getId() == sample.getLocationId(0)).findFirst().orElseThrow();
            String function = profile.getStringTable((int) profile.getFunctionList().stream()
                    .filter(f -> f.getId() == location.getLine(0).getFunctionId()).findFirst().orElseThrow().getName());
            List<Frame> stack = List.of(A, B, C, D).stream()
                    .filter(s -> s.get(0).functionName().equals(function)).findFirst().orElseThrow();
            rows.add(new Row(stack, sample.getValueList()));
        }
        return rows;
    }

    private static StackProfile.Sample row(List<Frame> stack, long... values) {
        return new StackProfile.Sample(stack, values);
    }

    private static StackProfile heap(StackProfile.Sample... samples) {
        return new StackProfile(HeapData.SAMPLE_TYPES, null, new StackProfile.ValueType("space", "bytes"), 512 * 1024,
                StackProfile.nowNanos(), 0, List.of(samples), List.of());
    }

    private static StackProfile contention(StackProfile.Sample... samples) {
        return new StackProfile(CONTENTION, null, CONTENTION.get(0), 1, StackProfile.nowNanos(), 0, List.of(samples),
                List.of());
    }

    private static PprofExchange exchange() {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.method()).thenReturn("GET");
        when(exchange.queryString()).thenReturn("");
        return exchange;
    }

    private static ProfileProto.Profile parse(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return ProfileProto.Profile.parseFrom(in);
        }
    }

    /** A profile whose snapshots the test gives. */
    private record Scripted(String name, Snapshots snapshots) implements NamedProfile {
        interface Snapshots {
            StackProfile next() throws InterruptedException;
        }

        /** These snapshots, in turn. */
        Scripted(String name, List<StackProfile> snapshots) {
            this(name, snapshots.iterator()::next);
        }

        @Override
        public String description() {
            return null;
        }

        @Override
        public long count() {
            return 0;
        }

        @Override
        public boolean supportsDelta() {
            return true;
        }

        @Override
        public StackProfile snapshot() throws InterruptedException {
            return snapshots.next();
        }
    }
}
