package dev.pprof4j;

import static dev.pprof4j.testing.AllocatingThread.allocatePaced;
import static dev.pprof4j.testing.AllocatingThread.onAThreadOfItsOwn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.ScrapeContract;
import dev.pprof4j.testing.ScrapeContract.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A fleet scraper's view, emulated: one interval of Grafana Alloy's
 * {@code pyroscope.scrape} (five uncoordinated GETs with its user agent and
 * timeouts, no {@code Accept-Encoding}, plus its {@code godeltaprof} paths)
 * and one of Parca's, every answer held to what Alloy, Pyroscope and Parca
 * check ({@link ScrapeContract}), and Alloy's own delta of two {@code allocs}
 * and two {@code mutex} scrapes around a workload compared with the
 * workload's truth and with the same delta keyed by function and line.
 */
class ScrapeEmulationTest {

    private static final String CLASS = ScrapeEmulationTest.class.getName();
    private static final String ALLOY = "Alloy/v1.11.0 (linux; binary)";
    private static final String PARCA = "Parca/v0.24.0";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Object MONITOR = new Object();
    private static final long HOLD_MILLIS = 30;

    @Test
    void oneIntervalOfAlloyAndOneOfParcaAreAcceptedAndAlloysDeltasAreTheWorkloads() throws Exception {
        ExecutorService scrapers = Executors.newCachedThreadPool();
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            String mount = server.origin() + "/debug/pprof";
            // The CPU scrapes span the interval: Alloy's (24 s timeout), Alloy's with its parameter given
            // twice, and Parca's (13 s), overlapping.
            Future<Scrape> alloyCpu = scrapers.submit(() ->
                    ScrapeContract.get(mount, "profile?seconds=14", ALLOY, Duration.ofSeconds(24)));
            Future<Scrape> repeatedCpu = scrapers.submit(() ->
                    ScrapeContract.get(mount, "profile?seconds=14&seconds=14", ALLOY, Duration.ofSeconds(24)));
            Future<Scrape> parcaCpu = scrapers.submit(() ->
                    ScrapeContract.get(mount, "profile?seconds=10", PARCA, Duration.ofSeconds(13)));
            // An Alloy whose `params` give `seconds` asks every profile for a server-side delta at once.
            Map<String, Future<Scrape>> alloyParams = new HashMap<>();
            for (String path : List.of("allocs", "goroutine", "mutex", "block")) {
                alloyParams.put(path, scrapers.submit(() -> ScrapeContract.get(mount, path + "?seconds=14&seconds=14",
                        ALLOY, Duration.ofSeconds(24))));
            }
            List<String> alloyPaths = List.of("allocs", "goroutine", "mutex", "block", "delta_heap", "delta_mutex",
                    "delta_block");

            Map<String, Scrape> first = scrape(scrapers, mount, ALLOY, alloyPaths);
            CountDownLatch scraped = new CountDownLatch(1);
            // 64 MiB on a thread that outlives the second scrape: its exact counter then divides its bytes.
            long allocated = onAThreadOfItsOwn(ScrapeEmulationTest::allocate, scraped);
            long waited = contend();
            Map<String, Scrape> second = scrape(scrapers, mount, ALLOY, alloyPaths);
            scraped.countDown();
            Map<String, Scrape> idle = scrape(scrapers, mount, ALLOY, List.of("allocs", "mutex"));
            scrape(scrapers, mount, PARCA, List.of("allocs", "goroutine", "mutex", "block"));

            Scrape cpu = ScrapeContract.accept(alloyCpu.get(), "profile");
            assertThat(cpu.millis()).as("Alloy's seconds=14 CPU scrape, 24 s timeout").isLessThan(20_000);
            assertThat(ScrapeContract.accept(repeatedCpu.get(), "profile").profile().getDurationNanos())
                    .isBetween(13_000_000_000L, 16_000_000_000L);
            assertThat(ScrapeContract.accept(parcaCpu.get(), "profile").millis())
                    .as("Parca's seconds=10 CPU scrape, 13 s timeout").isLessThan(13_000);
            for (Map.Entry<String, Future<Scrape>> delta : alloyParams.entrySet()) {
                Scrape accepted = ScrapeContract.accept(delta.getValue().get(), delta.getKey());
                assertThat(accepted.millis()).as(accepted.path()).isLessThan(20_000);
                assertThat(accepted.profile().getDurationNanos()).as(accepted.path() + ": duration_nanos")
                        .isBetween(13_000_000_000L, 16_000_000_000L);
            }

            double allocRatio = deltaAt(first.get("allocs"), second.get("allocs"), "alloc_space/bytes",
                    CLASS + ".allocate:") / (double) allocated;
            double idleRatio = deltaAt(second.get("allocs"), idle.get("allocs"), "alloc_space/bytes",
                    CLASS + ".allocate:") / (double) allocated;
            double delayRatio = deltaAt(first.get("mutex"), second.get("mutex"), "delay/nanoseconds",
                    CLASS + ".enterMonitor:") / (double) waited;
            double idleDelay = deltaAt(second.get("mutex"), idle.get("mutex"), "delay/nanoseconds",
                    CLASS + ".enterMonitor:") / (double) waited;
            System.out.printf("Alloy's deltas: alloc_space/truth %.3f, idle %.3f; delay/timed waits %.3f, idle %.3f%n",
                    allocRatio, idleRatio, delayRatio, idleDelay);
            assertThat(allocRatio).as("alloc_space delta / the thread's allocated bytes").isBetween(0.9, 1.1);
            assertThat(idleRatio).as("an idle interval's alloc_space delta").isLessThan(0.05);
            assertThat(delayRatio).as("delay delta / the waits the workload timed").isBetween(0.7, 1.3);
            assertThat(idleDelay).as("an idle interval's delay delta").isLessThan(0.05);
        } finally {
            scrapers.shutdownNow();
        }
    }

    /** Uncoordinated GETs, one per path, each accepted as the scrapers accept it. */
    private static Map<String, Scrape> scrape(ExecutorService scrapers, String mount, String userAgent,
            List<String> paths) throws Exception {
        Map<String, Future<Scrape>> pending = new HashMap<>();
        for (String path : paths) {
            pending.put(path, scrapers.submit(() -> ScrapeContract.get(mount, path, userAgent, TIMEOUT)));
        }
        Map<String, Scrape> accepted = new HashMap<>();
        for (String path : paths) {
            Scrape scrape = pending.get(path).get();
            assertThat(scrape.millis()).as(path + " within Alloy's timeout").isLessThan(TIMEOUT.toMillis());
            accepted.put(path, ScrapeContract.accept(scrape, path.replace("delta_", "")));
        }
        return accepted;
    }

    /**
     * Alloy's delta of two scrapes, checked against the same delta keyed by function and line, and never
     * negative; returns its {@code type} at the stacks with a frame that starts with {@code frame}.
     */
    private static long deltaAt(Scrape before, Scrape after, String type, String frame) {
        ProfileProto.Profile previous = before.profile();
        ProfileProto.Profile current = after.profile();
        Map<List<Object>, List<String>> frames = new HashMap<>();
        Map<List<Object>, long[]> byAddress = ScrapeContract.addressKeyedDelta(previous, current, frames);
        Map<List<Object>, long[]> byName = ScrapeContract.symbolicDelta(previous, current);

        Map<List<Object>, long[]> named = new HashMap<>();
        byAddress.forEach((key, values) -> {
            List<Object> names = new ArrayList<>(frames.get(key));
            key.stream().filter(String.class::isInstance).forEach(names::add);
            named.merge(names, values.clone(), (a, b) -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] += b[i];
                }
                return a;
            });
        });
        assertThat(named.keySet()).as(after.path() + ": stacks of the address-keyed delta")
                .isEqualTo(byName.keySet());
        named.forEach((key, values) -> assertThat(values).as(after.path() + " at " + key)
                .containsExactly(byName.get(key)));
        byName.forEach((key, values) -> assertThat(Arrays.stream(values).min().orElse(0))
                .as(after.path() + ": a delta value at " + key).isNotNegative());

        int column = ScrapeContract.types(current).indexOf(type);
        long sum = 0;
        for (Map.Entry<List<Object>, long[]> entry : byName.entrySet()) {
            if (entry.getKey().stream().anyMatch(f -> f.toString().startsWith(frame))) {
                sum += entry.getValue()[column];
            }
        }
        return sum;
    }

    /** Over several of JFR's throttle windows; a burst inside one the scrapes' allocations have spent goes unsampled. */
    private static long allocate() {
        return allocatePaced(64 << 20);
    }

    /** Four threads take turns at one monitor, six times each; returns the waits they timed. */
    private static long contend() throws InterruptedException {
        AtomicLong waited = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(() -> {
                for (int j = 0; j < 6; j++) {
                    waited.addAndGet(enterMonitor());
                }
            }, "contender-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        return waited.get();
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
