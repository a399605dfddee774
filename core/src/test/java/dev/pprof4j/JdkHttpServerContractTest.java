package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.PprofContract;
import dev.pprof4j.testing.RawProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pprof contract over the JDK's own HTTP server: the handler alone, no
 * framework. Here too, once rather than on every adapter's container, what
 * the profiles contain: heap, allocs, threadcreate, mutex and block, read by
 * the real client.
 */
class JdkHttpServerContractTest extends PprofContract {

    private static volatile Object sink;

    private PprofHandler handler;
    private JdkHttpServer server;

    @Override
    protected String start(PprofOptions options) throws Exception {
        handler = new PprofHandler(options);
        server = new JdkHttpServer(handler);
        return server.origin() + "/debug/pprof";
    }

    @Override
    protected void stop() {
        server.close();
        handler.close();
    }

    // (g)4, 5, 6: heap and allocs as protos, read by the reference client.
    @Test
    void heapAndAllocsAreGosFourSampleTypes() throws Exception {
        for (String name : List.of("heap", "allocs")) {
            HttpTestClient.Reply head = HttpTestClient.head(mount + "/" + name);
            assertThat(head.status()).as(name).isEqualTo(200);
            assertThat(contentType(head)).isEqualTo("application/octet-stream");
            assertThat(head.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + name + "\"");
            assertThat(head.header("X-Content-Type-Options")).isEqualTo("nosniff");
        }
        GoPprof.Run heap = GoPprof.run("-raw", mount + "/heap");
        assertThat(heap.exitCode()).as(heap.stderr()).isZero();
        assertThat(heap.unexpectedStderr()).isEmpty();
        assertThat(heap.stdout()).contains("PeriodType: space bytes")
                .contains("alloc_objects/count alloc_space/bytes inuse_objects/count inuse_space/bytes\n")
                .doesNotContain("[dflt]")
                .containsPattern("Duration: \\d");
        assertThat(RawProfile.parse(heap.stdout()).total(3)).isPositive();
        GoPprof.Run heapTop = GoPprof.run("-top", mount + "/heap");
        assertThat(heapTop.stdout()).contains("Type: inuse_space");

        GoPprof.Run allocs = GoPprof.run("-raw", mount + "/allocs");
        assertThat(allocs.exitCode()).as(allocs.stderr()).isZero();
        assertThat(allocs.stdout()).contains("alloc_space/bytes[dflt]");
        assertThat(RawProfile.parse(allocs.stdout()).total(1)).isPositive();
        GoPprof.Run allocsTop = GoPprof.run("-top", mount + "/allocs");
        assertThat(allocsTop.stdout()).contains("Type: alloc_space");
    }

    // (g)12
    @Test
    void heapTakesDeltas() throws Exception {
        HttpTestClient.Reply delta = HttpTestClient.get(mount + "/heap?seconds=2");
        assertThat(delta.header("Content-Disposition")).isEqualTo("attachment; filename=\"heap-delta\"");
        Path saved = GoPprof.save(delta.body(), "heap-delta.pb.gz");
        GoPprof.Run raw = GoPprof.run("-raw", saved.toString());
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(raw.stdout()).containsPattern("Duration: 2\\.\\d\\d");
        // Streamed: the keep-alive durations come first, the final message's last.
        ProfileProto.Profile proto = parse(delta.body());
        assertThat(proto.getDurationNanos()).isBetween(2_000_000_000L, 2_100_000_000L);
        assertThat(proto.getSampleTypeCount()).isEqualTo(4);
    }

    // (g)13: the text form, read back by the client with the proto's totals.
    @Test
    void heapTextIsGosWithEstimatesTheClientDoesNotScaleAgain() throws Exception {
        allocate(64L << 20);
        String text = HttpTestClient.get(mount + "/heap?debug=1").text();
        Matcher header = Pattern.compile("^heap profile: (\\d+): (\\d+) \\[(\\d+): (\\d+)] @ heapprofile\n").matcher(text);
        assertThat(header.find()).as(text.lines().findFirst().orElse("")).isTrue();
        assertThat(text).containsPattern("(?m)^\\d+: \\d+ \\[\\d+: \\d+] @( 0x[0-9a-f]+)+$")
                .containsPattern("(?m)^#\t0x[0-9a-f]+\t\\S+\t\\S+\\.java:\\d+$")
                .contains("\n# jvm.MemoryMXBean\n# HeapUsed = ")
                .contains("\n# jvm.GarbageCollectorMXBean");

        Path saved = GoPprof.save(text.getBytes(StandardCharsets.UTF_8), "heap.txt");
        GoPprof.Run raw = GoPprof.run("-raw", saved.toString());
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        RawProfile parsed = RawProfile.parse(raw.stdout());
        assertThat(parsed.sampleTypes())
                .containsExactly("alloc_objects/count", "alloc_space/bytes", "inuse_objects/count", "inuse_space/bytes");
        assertThat(parsed.total(3)).isEqualTo(Long.parseLong(header.group(2)));
        assertThat(parsed.total(1)).isEqualTo(Long.parseLong(header.group(4)));
    }

    // (g)4, 16: threadcreate shows where threads were started, in both forms.
    @Test
    void threadcreateShowsTheStackThatStartedAThread() throws Exception {
        startWorker().join();
        HttpTestClient.Reply proto = HttpTestClient.get(mount + "/threadcreate");
        assertThat(proto.header("Content-Disposition")).isEqualTo("attachment; filename=\"threadcreate\"");
        String starter = JdkHttpServerContractTest.class.getName() + ".startWorker";
        assertThat(samplesWith(parse(proto.body()), starter)).containsExactly(1L);

        String text = HttpTestClient.get(mount + "/threadcreate?debug=1").text();
        assertThat(text).startsWith("threadcreate profile: total ").contains("\t" + starter + "\t")
                .contains("\t[started before profiling]\n");
        Path saved = GoPprof.save(text.getBytes(StandardCharsets.UTF_8), "threadcreate.txt");
        GoPprof.Run raw = GoPprof.run("-raw", saved.toString());
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(RawProfile.parse(raw.stdout()).sampleTypes()).containsExactly("threadcreate/count");
    }

    // (g)4, 17: mutex and block in both forms; the text is read back by the client.
    @Test
    void mutexAndBlockAreGosContentionProfiles() throws Exception {
        for (String name : List.of("mutex", "block")) {
            HttpTestClient.Reply head = HttpTestClient.head(mount + "/" + name);
            assertThat(head.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + name + "\"");
            String text = HttpTestClient.get(mount + "/" + name + "?debug=1").text();
            assertThat(text).startsWith((name.equals("mutex") ? "--- mutex:" : "--- contention:")
                    + "\ncycles/second=1000000000\n");
            Path saved = GoPprof.save(text.getBytes(StandardCharsets.UTF_8), name + ".txt");
            GoPprof.Run raw = GoPprof.run("-raw", saved.toString());
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(RawProfile.parse(raw.stdout()).sampleTypes())
                    .containsExactly("contentions/count", "delay/nanoseconds");
            GoPprof.Run proto = GoPprof.run("-raw", mount + "/" + name);
            assertThat(proto.exitCode()).as(proto.stderr()).isZero();
            assertThat(RawProfile.parse(proto.stdout()).sampleTypes())
                    .containsExactly("contentions/count", "delay/nanoseconds");
        }
    }

    private static Thread startWorker() {
        Thread worker = new Thread(() -> { }, "pprof4j-contract-worker");
        worker.start();
        return worker;
    }

    /** Allocates about {@code bytes} of short-lived arrays, for the allocation sampler to see. */
    private static void allocate(long bytes) {
        for (long i = 0; i < bytes / 1024; i++) {
            sink = new byte[1024];
        }
    }
}
