package dev.pprof4j;

import static dev.pprof4j.testing.AllocatingThread.allocatePaced;
import static dev.pprof4j.testing.AllocatingThread.onAThreadOfItsOwn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import dev.pprof4j.testing.AllocatingThread.Work;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delta paths as Grafana Alloy scrapes them, over HTTP with JFR's real
 * samples: what the application did between two requests is in the second
 * answer, what it did before is not, and an idle interval holds (nearly)
 * nothing of it. Read with the real {@code go tool pprof} too.
 */
class DeltaProfileScrapeTest {

    private static final String CLASS = DeltaProfileScrapeTest.class.getName();
    private static final long ALLOCATED = 64L << 20;
    private static final Object MONITOR = new Object();


    private static volatile Object sink;

    private PprofHandler handler;
    private JdkHttpServer server;
    private String mount;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        handler = new PprofHandler();
        assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
        server = new JdkHttpServer(handler);
        mount = server.origin() + "/debug/pprof";
    }

    @AfterEach
    void stop() {
        server.close();
        handler.close();
    }

    @Test
    void deltaHeapHasTheAllocationsSinceThePreviousRequestAndTheMemoryInUseNow() throws Exception {
        // JFR samples once its stream runs, which a heap profile waits for; it is no request to delta_heap.
        assertThat(HttpTestClient.get(mount + "/heap").status()).isEqualTo(200);
        Scrapes scrapes = scrapesAround("delta_heap", () -> onAThreadOfItsOwn(() -> allocateBefore(ALLOCATED)),
                () -> onAThreadOfItsOwn(() -> allocateBetween(ALLOCATED)));
        ProfileProto.Profile first = scrapes.first();
        ProfileProto.Profile second = scrapes.second();
        ProfileProto.Profile idle = scrapes.idle();
        long allocated = scrapes.measured();

        assertThat(sampleTypes(second)).containsExactly("alloc_objects/count", "alloc_space/bytes",
                "inuse_objects/count", "inuse_space/bytes");
        assertThat(second.getStringTable((int) second.getPeriodType().getType())).isEqualTo("space");
        assertThat(total(first, 1, CLASS + ".allocateBefore")).as("the first answer: everything since sampling began")
                .isGreaterThan(ALLOCATED / 4);
        long between = total(second, 1, CLASS + ".allocateBetween");
        assertThat((double) between / allocated).as("alloc_space %d of %d bytes", between, allocated)
                .isBetween(0.5, 1.5);
        // The sampler shares the bytes between two samples by both samples' stacks, so some megabytes cross over
        // at either end of a burst (up to a seventh of it in runs on a busy machine); a cumulative answer would hold all.
        assertThat(total(second, 1, CLASS + ".allocateBefore")).as("what came before").isLessThan(allocated / 4);
        assertThat(total(idle, 1, CLASS + ".allocateBetween")).as("an idle interval").isLessThan(allocated / 4);
        assertThat(total(idle, 3)).as("in-use bytes are as of now, not a delta").isPositive();
        for (ProfileProto.Profile delta : List.of(first, second, idle)) {
            assertThat(delta.getDurationNanos()).isZero();
        }
        assertThat(second.getTimeNanos()).isGreaterThan(first.getTimeNanos());
    }

    @Test
    void deltaMutexHasTheContentionSinceThePreviousRequest() throws Exception {
        Scrapes scrapes = scrapesAround("delta_mutex", () -> contendOnce(DeltaProfileScrapeTest::enterBefore),
                DeltaProfileScrapeTest::contendBetween);

        assertThat(sampleTypes(scrapes.second())).containsExactly("contentions/count", "delay/nanoseconds");
        assertThat(total(scrapes.first(), 0, CLASS + ".enterBefore")).isEqualTo(1);
        long delay = total(scrapes.second(), 1, CLASS + ".enterBetween");
        long waited = scrapes.measured();
        assertThat((double) delay / waited).as("delay %d of %d ns", delay, waited).isBetween(0.7, 1.3);
        assertThat(total(scrapes.second(), 0, CLASS + ".enterBefore")).isZero();
        assertThat(total(scrapes.idle(), 0, CLASS + ".enterBetween")).isZero();
    }

    @Test
    void deltaBlockHasTheWaitsSinceThePreviousRequest() throws Exception {
        Scrapes scrapes = scrapesAround("delta_block", DeltaProfileScrapeTest::sleepBefore,
                DeltaProfileScrapeTest::sleepBetween);

        assertThat(total(scrapes.first(), 0, CLASS + ".sleepBefore")).isEqualTo(3);
        assertThat(total(scrapes.second(), 0, CLASS + ".sleepBetween")).isEqualTo(3);
        assertThat(total(scrapes.second(), 0, CLASS + ".sleepBefore")).isZero();
        assertThat(total(scrapes.idle(), 0, CLASS + ".sleepBetween")).isZero();
    }

    @Test
    void goToolPprofReadsEveryDeltaPath() throws Exception {
        sleepBetween();
        for (String name : List.of("delta_heap", "delta_mutex", "delta_block")) {
            GoPprof.Run raw = GoPprof.run("-raw", mount + "/" + name);
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(raw.unexpectedStderr()).isEmpty();
            RawProfile profile = RawProfile.parse(raw.stdout());
            if (name.equals("delta_heap")) {
                assertThat(profile.periodType()).isEqualTo("space bytes");
                assertThat(profile.sampleTypes()).containsExactly("alloc_objects/count", "alloc_space/bytes",
                        "inuse_objects/count", "inuse_space/bytes");
                assertThat(profile.total(3)).isPositive();
            } else {
                assertThat(profile.periodType()).isEqualTo("contentions count");
                assertThat(profile.sampleTypes()).containsExactly("contentions/count", "delay/nanoseconds");
            }
            if (name.equals("delta_block")) {
                assertThat(profile.total(0, CLASS + ".sleepBetween")).isEqualTo(3);
            }
            assertThat(raw.stdout()).doesNotContain("Duration:");
        }
        RawProfile block = RawProfile.parse(GoPprof.run("-raw", mount + "/delta_block").stdout());
        assertThat(block.total(0, CLASS + ".sleepBetween")).as("taken by the previous request").isZero();
    }

    /** What the application does before or between scrapes; returns what the test measured of it, or 0. */
    /** Three answers of one path: after {@code before}, after {@code between}, and after nothing. */
    private record Scrapes(ProfileProto.Profile first, ProfileProto.Profile second, ProfileProto.Profile idle,
            long measured) {
    }

    private Scrapes scrapesAround(String path, Work before, Work between) throws Exception {
        before.run();
        ProfileProto.Profile first = scrape(path);
        long measured = between.run();
        ProfileProto.Profile second = scrape(path);
        ProfileProto.Profile idle = scrape(path);
        for (ProfileProto.Profile delta : List.of(first, second, idle)) {
            assertDeltaRows(delta);
        }
        return new Scrapes(first, second, idle, measured);
    }

    /** One scrape as Alloy sends it, and the headers godeltaprof answers with. */
    private ProfileProto.Profile scrape(String path) throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + path);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String filename = path.substring("delta_".length()) + ".pprof.gz";
        assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=\"" + filename + "\"");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(reply.body()))) {
            return ProfileProto.Profile.parseFrom(in);
        }
    }

    /** No row without a change; no counter below zero, which Pyroscope would drop. */
    private static void assertDeltaRows(ProfileProto.Profile delta) {
        for (ProfileProto.Sample sample : delta.getSampleList()) {
            assertThat(sample.getValueList()).anyMatch(v -> v != 0).allMatch(v -> v >= 0);
        }
    }

    private static List<String> sampleTypes(ProfileProto.Profile profile) {
        List<String> types = new ArrayList<>();
        for (ProfileProto.ValueType type : profile.getSampleTypeList()) {
            types.add(profile.getStringTable((int) type.getType()) + "/" + profile.getStringTable((int) type.getUnit()));
        }
        return types;
    }

    private static long total(ProfileProto.Profile profile, int index) {
        return profile.getSampleList().stream().mapToLong(sample -> sample.getValue(index)).sum();
    }

    /** The values of type {@code index} summed over the samples with a frame of {@code function}. */
    private static long total(ProfileProto.Profile profile, int index, String function) {
        long sum = 0;
        for (ProfileProto.Sample sample : profile.getSampleList()) {
            if (sample.getLocationIdList().stream().anyMatch(id -> hasFunction(profile, id, function))) {
                sum += sample.getValue(index);
            }
        }
        return sum;
    }

    private static boolean hasFunction(ProfileProto.Profile profile, long locationId, String function) {
        ProfileProto.Location location = profile.getLocationList().stream()
                .filter(l -> l.getId() == locationId).findFirst().orElseThrow();
        return location.getLineList().stream().anyMatch(line -> profile.getFunctionList().stream()
                .anyMatch(f -> f.getId() == line.getFunctionId()
                        && profile.getStringTable((int) f.getName()).equals(function)));
    }

    /** In 16 KiB arrays: a busy machine's run of 1 KiB ones read 0.4 of their bytes at the site, HeapTruthTest's matter. */
    private static long allocateBefore(long bytes) {
        allocatePaced(bytes);
        return 0;
    }

    /** As {@link #allocateBefore}; returns what the thread allocated, as its own counter measures it. */
    private static long allocateBetween(long bytes) {
        return allocatePaced(bytes);
    }

    /** One contended entry at {@code enter}: it waits about 100 ms for a thread that holds the monitor. */
    private static long contendOnce(Runnable enter) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (MONITOR) {
                holding.countDown();
                sleep(100);
            }
        }, "pprof4j-holder");
        holder.start();
        holding.await();
        Thread entering = new Thread(enter, "pprof4j-entering");
        entering.start();
        holder.join();
        entering.join();
        return 0;
    }

    private static void enterBefore() {
        synchronized (MONITOR) {
            sink = MONITOR;
        }
    }

    /** Four threads take turns at the monitor, six times each; returns the waits they timed. */
    private static long contendBetween() throws InterruptedException {
        long[] waits = new long[4];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < waits.length; i++) {
            int index = i;
            threads.add(new Thread(() -> {
                for (int j = 0; j < 6; j++) {
                    waits[index] += enterBetween();
                }
            }, "pprof4j-contender-" + i));
        }
        threads.forEach(Thread::start);
        long total = 0;
        for (int i = 0; i < waits.length; i++) {
            threads.get(i).join();
            total += waits[i];
        }
        return total;
    }

    /** Holds the monitor 30 ms by spinning, so that only the waiting shows as contention. */
    private static long enterBetween() {
        long start = System.nanoTime();
        synchronized (MONITOR) {
            long waited = System.nanoTime() - start;
            long end = System.nanoTime() + 30_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return waited;
        }
    }

    private static long sleepBefore() {
        for (int i = 0; i < 3; i++) {
            sleep(30);
        }
        return 0;
    }

    private static long sleepBetween() {
        for (int i = 0; i < 3; i++) {
            sleep(30);
        }
        return 0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
