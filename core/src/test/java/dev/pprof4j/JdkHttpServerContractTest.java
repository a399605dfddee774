package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.ParkedThreads;
import dev.pprof4j.testing.PprofContract;
import dev.pprof4j.testing.RawProfile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pprof contract over the JDK's own HTTP server: the handler alone, no
 * framework. Here too, once rather than on every adapter's container, what
 * the profiles contain, which no container changes: goroutine (counts, text,
 * dump, deltas), heap, allocs, threadcreate, mutex, block and custom
 * profiles, read by the real client.
 */
class JdkHttpServerContractTest extends PprofContract {

    private static volatile Object sink;

    private PprofHandler handler;
    private JdkHttpServer server;

    @Override
    protected String start(PprofOptions options) throws Exception {
        handler = new PprofHandler(options);
        assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
        server = new JdkHttpServer(handler);
        return server.origin() + "/debug/pprof";
    }

    @Override
    protected void stop() {
        server.close();
        handler.close();
    }

    // Heap and allocs as protos, read by the reference client.
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
                // Cumulative, as Go's: a duration would mark it as a delta to Parca.
                .doesNotContain("Duration:");
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

    // The text form, read back by the client with the proto's totals.
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

    // Threadcreate shows where threads were started, in both forms.
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

    // Mutex and block in both forms; the text is read back by the client.
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

    @Test
    void goroutineProfileCountsThreadsPerStack() throws Exception {
        // Its headers are the contract's (headAnswersTheHeadersOfGet); here, what it holds.
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/goroutine");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()[0] & 0xff).isEqualTo(0x1f);
        assertThat(reply.body()[1] & 0xff).isEqualTo(0x8b);

        ProfileProto.Profile profile = parse(reply.body());
        List<String> strings = profile.getStringTableList();
        assertThat(strings.get(0)).isEmpty();
        assertThat(strings.get((int) profile.getSampleType(0).getType())).isEqualTo("goroutine");
        assertThat(strings.get((int) profile.getSampleType(0).getUnit())).isEqualTo("count");
        assertThat(strings.get((int) profile.getPeriodType().getType())).isEqualTo("goroutine");
        assertThat(profile.getPeriod()).isEqualTo(1);
        assertThat(profile.getMapping(0).getHasFunctions()).isTrue();
        long total = profile.getSampleList().stream().mapToLong(s -> s.getValue(0)).sum();
        assertThat(total).isGreaterThan(PARKED);
    }

    @Test
    void goroutineTextCountsStacksWithAddressesAndFrames() throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/goroutine?debug=1");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("text/plain; charset=utf-8");
        assertThat(reply.header("Content-Disposition")).isNull();
        String text = reply.text();
        assertThat(text.lines().findFirst().orElseThrow()).matches("goroutine profile: total \\d+");
        assertThat(text).containsPattern("(?m)^" + PARKED + " @( 0x[0-9a-f]+)+$")
                .containsPattern("(?m)^#\t0x[0-9a-f]+\t" + Pattern.quote(ParkedThreads.FUNCTION) + "\t"
                        + Pattern.quote(ParkedThreads.SOURCE) + ":" + ParkedThreads.line() + "$");
        assertThat(text).doesNotContainPattern("(?m)^\\d+ @$");

        assertThat(HttpTestClient.get(mount + "/goroutine?debug=-1").text()).startsWith("goroutine profile: total ");
        // Out of int range: Go's Atoi clamps it, so it is a (full dump) text, not a protobuf.
        assertThat(contentType(HttpTestClient.get(mount + "/goroutine?debug=99999999999")))
                .isEqualTo("text/plain; charset=utf-8");
        assertThat(HttpTestClient.get(mount + "/goroutine?debug=abc").header("Content-Type"))
                .isEqualTo("application/octet-stream");
    }

    @Test
    void goroutineDumpShowsEveryThreadWithItsLocks() throws Exception {
        Object monitor = new Object();
        ReentrantLock lock = new ReentrantLock();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (monitor) {
                lock.lock();
                try {
                    holding.countDown();
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    lock.unlock();
                }
            }
        }, "pprof4j-lock-holder");
        holder.start();
        holding.await();
        try {
            String dump = HttpTestClient.get(mount + "/goroutine?debug=2").text();
            assertThat(dump).endsWith("\n").doesNotContain("\n\n\n");
            for (String block : dump.split("\n\n")) {
                assertThat(block.lines().findFirst().orElseThrow()).endsWith("]:");
            }
            assertThat(dump).containsPattern("(?m)^\"pprof4j-parked-0\" #\\d+ daemon prio=5 \\[WAITING\\]:$")
                    .contains("\tat " + ParkedThreads.class.getName() + ".parkHere(ParkedThreads.java:"
                            + ParkedThreads.line() + ")")
                    .containsPattern("- parking to wait for <0x[0-9a-f]+> \\(a java.util.concurrent.CountDownLatch\\$Sync\\)");
            String holderBlock = dump.substring(dump.indexOf("\"pprof4j-lock-holder\""));
            holderBlock = holderBlock.substring(0, holderBlock.indexOf("\n\n") < 0 ? holderBlock.length()
                    : holderBlock.indexOf("\n\n"));
            assertThat(holderBlock).containsPattern("\t- locked <0x[0-9a-f]+> \\(a java.lang.Object\\)")
                    .contains("\tLocked ownable synchronizers:\n")
                    .containsPattern("\t- <0x[0-9a-f]+> \\(a java.util.concurrent.locks.ReentrantLock\\$NonfairSync\\)");
        } finally {
            release.countDown();
            holder.join();
        }
    }

    @Test
    void goroutineDeltaShowsThreadsStartedDuringTheWindow() throws Exception {
        HttpTestClient.Reply[] reply = new HttpTestClient.Reply[1];
        Thread client = new Thread(() -> {
            try {
                reply[0] = HttpTestClient.get(mount + "/goroutine?seconds=3");
            } catch (IOException | InterruptedException e) {
                throw new RuntimeException(e);
            }
        });
        client.start();
        awaitWindowUnderWay();
        ParkedThreads more = new ParkedThreads(2);
        try {
            client.join();
        } finally {
            more.close();
        }
        assertThat(reply[0].status()).isEqualTo(200);
        assertThat(reply[0].header("Content-Disposition")).isEqualTo("attachment; filename=\"goroutine-delta\"");
        ProfileProto.Profile delta = parse(reply[0].body());
        assertThat(delta.getDurationNanos()).isBetween(2_900_000_000L, 4_000_000_000L);
        assertThat(samplesWith(delta, ParkedThreads.FUNCTION)).containsExactly(2L);
    }

    private static void awaitWindowUnderWay() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
                List<StackTraceElement> frames = List.of(stack);
                if (frames.stream().anyMatch(f -> f.getClassName().equals("java.lang.Thread")
                        && f.getMethodName().startsWith("sleep"))
                        && frames.stream().anyMatch(f -> f.getClassName().equals("dev.pprof4j.WindowedProfileBody")
                                && f.getMethodName().equals("write"))) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no request reached a timed profile's window");
    }

    @Test
    void customProfilesAreServedLikeGos() throws Exception {
        HttpTestClient.Reply proto = HttpTestClient.get(mount + "/" + CUSTOM);
        assertThat(proto.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + CUSTOM + "\"");
        ProfileProto.Profile profile = parse(proto.body());
        assertThat(profile.getStringTable((int) profile.getSampleType(0).getType())).isEqualTo(CUSTOM);
        assertThat(profile.getSample(0).getValue(0)).isEqualTo(1);
        // The stack of the add() call in startServer, leaf first.
        assertThat(functionName(profile, profile.getSample(0).getLocationId(0)))
                .isEqualTo(PprofContract.class.getName() + ".startServer");
        assertThat(HttpTestClient.get(mount + "/" + CUSTOM + "?debug=1").text())
                .startsWith(CUSTOM + " profile: total 1\n1 @ 0x");
    }

    // The reference client reads what we serve.
    @Test
    void goToolPprofReadsTheGoroutineProfile() throws Exception {
        GoPprof.Run raw = GoPprof.run("-raw", mount + "/goroutine");
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(raw.unexpectedStderr()).isEmpty();
        RawProfile profile = RawProfile.parse(raw.stdout());
        assertThat(profile.periodType()).isEqualTo("goroutine count");
        assertThat(profile.period()).isEqualTo(1);
        assertThat(profile.sampleTypes()).containsExactly("goroutine/count");
        assertThat(profile.total(0, ParkedThreads.FUNCTION)).isEqualTo(PARKED);
        assertThat(profile.samples()).filteredOn(s -> s.hasFrame(ParkedThreads.FUNCTION))
                .singleElement()
                .satisfies(s -> assertThat(s.frames()).contains(ParkedThreads.FUNCTION + " "
                        + ParkedThreads.SOURCE + ":" + ParkedThreads.line()));
        int live = ManagementFactory.getThreadMXBean().getThreadCount();
        assertThat(profile.total(0)).isBetween(live - 5L, live + 5L);
    }

    // The command as a user types it: host:port/path, no scheme.
    @Test
    void goToolPprofTopAndLinesFindTheParkedLine() throws Exception {
        String hostAndPath = mount.substring("http://".length()) + "/goroutine";
        GoPprof.Run top = GoPprof.run("-top", "-lines", hostAndPath);
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.unexpectedStderr()).isEmpty();
        assertThat(top.stdout()).contains("Type: goroutine")
                .containsPattern("(?m)^\\s+0\\s+0%\\s+[\\d.]+%\\s+" + PARKED + "\\s+[\\d.]+%\\s+"
                        + Pattern.quote(ParkedThreads.FUNCTION + " " + ParkedThreads.SOURCE + ":"
                                + ParkedThreads.line()) + "$");

        GoPprof.Run fromText = GoPprof.run("-top", "-cum", mount + "/goroutine?debug=1");
        assertThat(fromText.exitCode()).as(fromText.stderr()).isZero();
        assertThat(fromText.unexpectedStderr()).isEmpty();
        assertThat(fromText.stdout()).containsPattern("(?m)^\\s+0\\s+0%\\s+[\\d.]+%\\s+" + PARKED
                + "\\s+[\\d.]+%\\s+" + Pattern.quote(ParkedThreads.FUNCTION) + "$");
    }

    // A saved text profile is readable offline.
    @Test
    void goToolPprofReadsSavedTextProfiles() throws Exception {
        for (String name : List.of("goroutine", CUSTOM)) {
            Path saved = GoPprof.save(HttpTestClient.get(mount + "/" + name + "?debug=1").body(), "profile.txt");
            GoPprof.Run raw = GoPprof.run("-raw", saved.toString());
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(RawProfile.parse(raw.stdout()).sampleTypes()).containsExactly(name + "/count");
        }
    }
}
