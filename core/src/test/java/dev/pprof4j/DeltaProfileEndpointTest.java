package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** godeltaprof's paths, read by the real go tool pprof: each answer is the change since the one before. */
class DeltaProfileEndpointTest {

    private static final String CLASS = DeltaProfileEndpointTest.class.getName();
    private static final Object MONITOR = new Object();
    private static final long HOLD_MILLIS = 30;
    private static volatile Object sink;

    @Test
    void deltaHeapHoldsTheAllocationsSinceThePreviousRequestAndTheMemoryInUseNow() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            String url = server.origin() + "/debug/pprof/delta_heap";
            HttpTestClient.Reply first = HttpTestClient.get(url);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.header("Content-Type")).isEqualTo("application/octet-stream");
            assertThat(first.header("Content-Disposition")).isEqualTo("attachment; filename=\"heap.pprof.gz\"");

            long allocated = allocateBetweenRequests();
            RawProfile grown = read(url, "delta_heap");
            assertThat(grown.sampleTypes()).containsExactly("alloc_objects/count", "alloc_space/bytes",
                    "inuse_objects/count", "inuse_space/bytes");
            long sampled = grown.total(1, CLASS + ".allocateBetweenRequests");
            System.out.printf("delta_heap: alloc_space/truth %.3f%n", (double) sampled / allocated);
            assertThat((double) sampled / allocated).as("alloc_space %d of %d bytes", sampled, allocated)
                    .isBetween(0.5, 1.5);
            assertNoNegativeValue(grown);

            RawProfile idle = read(url, "delta_heap");
            assertThat(idle.total(1, CLASS + ".allocateBetweenRequests")).isLessThan(allocated / 20);
            assertThat(idle.total(3)).as("in-use bytes are as of now, not a delta").isPositive();
            assertNoNegativeValue(idle);
        }
    }

    @Test
    void deltaMutexHoldsTheWaitsSinceThePreviousRequest() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            String url = server.origin() + "/debug/pprof/delta_mutex";
            assertThat(HttpTestClient.get(url).status()).isEqualTo(200);
            long waited = contendBetweenRequests();
            RawProfile contended = read(url, "delta_mutex");
            assertThat(contended.sampleTypes()).containsExactly("contentions/count", "delay/nanoseconds");
            long delay = contended.total(1, CLASS + ".enterMonitor");
            System.out.printf("delta_mutex: delay/timed waits %.3f%n", (double) delay / waited);
            assertThat((double) delay / waited).as("delay %d of %d ns", delay, waited).isBetween(0.7, 1.3);

            RawProfile idle = read(url, "delta_mutex");
            assertThat(idle.total(1, CLASS + ".enterMonitor")).isZero();
            assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/delta_block").status()).isEqualTo(200);
        }
    }

    /** The path's next answer, read from a saved file: go tool pprof on the URL would itself take one. */
    private static RawProfile read(String url, String name) throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(url);
        assertThat(reply.status()).isEqualTo(200);
        GoPprof.Run raw = GoPprof.run("-raw", GoPprof.save(reply.body(), name + ".pb.gz").toString());
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        assertThat(raw.stdout()).doesNotContain("Duration:");
        return RawProfile.parse(raw.stdout());
    }

    private static void assertNoNegativeValue(RawProfile profile) {
        for (RawProfile.Sample sample : profile.samples()) {
            for (long value : sample.values()) {
                assertThat(value).as("a value of %s", sample.frames()).isNotNegative();
            }
        }
    }

    /** 64 MiB in 16 KiB arrays, as the thread's own counter measures it. */
    private static long allocateBetweenRequests() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 4096; i++) {
            sink = new byte[16 * 1024];
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** Four threads take turns at one monitor; returns the waits they timed. */
    private static long contendBetweenRequests() throws InterruptedException {
        long[] waits = new long[4];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < waits.length; i++) {
            int index = i;
            threads.add(new Thread(() -> {
                for (int j = 0; j < 6; j++) {
                    waits[index] += enterMonitor();
                }
            }, "contender-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        long total = 0;
        for (long wait : waits) {
            total += wait;
        }
        return total;
    }

    private static long enterMonitor() {
        long start = System.nanoTime();
        synchronized (MONITOR) {
            long waited = System.nanoTime() - start;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return waited;
        }
    }
}
