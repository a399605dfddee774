package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each site's allocated bytes, as the sampler splits them, against what its
 * calls allocated as the JVM counts it: the calling thread's allocated bytes
 * read right before and after every call. The sites share threads and come in
 * bursts, so that JFR's throttle, which spreads its samples over time windows
 * and not over bytes, samples some bursts more densely than others. Every
 * figure is printed; what is asserted is what holds on a loaded two-core
 * machine, looser than the ±10% aimed at where sites share threads.
 */
class AllocationBurstTruthTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * A workload's bytes, summed over its sites, come from the threads' exact counters: they hold
     * within this however the split between sites goes.
     */
    private static final double TOTAL_TOLERANCE = 0.15;
    /** Each site on threads of its own: the split does not matter either. */
    private static final double OWN_THREAD_TOLERANCE = 0.15;
    /**
     * Sites sharing threads in bursts are split by where JFR's samples fell, measured at 0.56-1.72 of
     * the truth (docs/heap-profiling.md); this bound only catches a split gone far worse. Sites
     * interleaved on the same threads get no per-site bound: measured at 0.05-2.09.
     */
    private static final double BURST_FACTOR = 2.5;
    private static final long WORKLOAD_NANOS = 3_000_000_000L;
    private static final int POOL_THREADS = 4;
    /** What the leaking site keeps: a ring, so that the heap stays small however long it runs. */
    private static final Object[] LEAKED = new Object[1 << 14];
    private static volatile Object sink;

    private static AllocationSampler sampler;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        sampler = new AllocationSampler(PprofOptions.DEFAULT_ALLOCATION_SAMPLES_PER_SECOND, 64, 10_000,
                new ObjectSizes());
        pool = Executors.newFixedThreadPool(POOL_THREADS);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        sampler.close();
        java.util.Arrays.fill(LEAKED, null);
    }

    @Test
    void leakAndChurnInBurstsOnOnePoolOfThreads() throws Exception {
        Truth leak = new Truth("leak");
        Truth churn = new Truth("churn");
        // Requests of one kind, then of the other, as traffic comes: every pool thread bursts through the
        // same site for 10-60 ms, sometimes after an idle pause. The lengths vary so that they keep
        // shifting against the throttle's windows.
        Random lengths = new Random(12);
        long end = System.nanoTime() + WORKLOAD_NANOS;
        boolean leaking = true;
        while (System.nanoTime() < end) {
            long burstEnd = System.nanoTime() + (10 + lengths.nextInt(leaking ? 30 : 50)) * 1_000_000L;
            Truth site = leaking ? leak : churn;
            List<Future<?>> bursts = new ArrayList<>();
            for (int t = 0; t < POOL_THREADS; t++) {
                bursts.add(pool.submit(() -> {
                    while (System.nanoTime() < burstEnd) {
                        if (site == leak) {
                            leak(leak);
                        } else {
                            churn(churn);
                        }
                    }
                }));
            }
            for (Future<?> burst : bursts) {
                burst.get();
            }
            Thread.sleep(lengths.nextInt(3) == 0 ? lengths.nextInt(20) : 0);
            leaking = !leaking;
        }
        assertEstimates("leak vs churn in bursts", 1 / BURST_FACTOR, BURST_FACTOR, leak, churn);
    }

    @Test
    void smallAndLargeArraysInterleavedOnTheSameThreads() throws Exception {
        Truth small = new Truth("smallArrays");
        Truth large = new Truth("largeArray");
        long end = System.nanoTime() + WORKLOAD_NANOS;
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < POOL_THREADS; t++) {
            threads.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    smallArrays(small);
                    largeArray(large);
                }
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
        // No per-site bound: see BURST_FACTOR.
        assertEstimates("64 B and 64 KiB interleaved", 0, Double.MAX_VALUE, small, large);
    }

    @Test
    void eachSiteOnThreadsOfItsOwn() throws Exception {
        Truth first = new Truth("firstOwnThread");
        Truth second = new Truth("secondOwnThread");
        ExecutorService firstThread = Executors.newSingleThreadExecutor();
        ExecutorService secondThread = Executors.newSingleThreadExecutor();
        try {
            long end = System.nanoTime() + WORKLOAD_NANOS;
            Future<?> firstWork = firstThread.submit(() -> {
                while (System.nanoTime() < end) {
                    firstOwnThread(first);
                }
            });
            Future<?> secondWork = secondThread.submit(() -> {
                while (System.nanoTime() < end) {
                    secondOwnThread(second);
                }
            });
            firstWork.get();
            secondWork.get();
        } finally {
            firstThread.shutdownNow();
            secondThread.shutdownNow();
            assertThat(firstThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(secondThread.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertEstimates("each site on its own thread", 1 - OWN_THREAD_TOLERANCE, 1 + OWN_THREAD_TOLERANCE,
                first, second);
    }

    /** Prints each site's estimate over its truth; asserts it between the bounds, and the sites' sum. */
    private static void assertEstimates(String workload, double lowest, double highest, Truth... sites)
            throws InterruptedException {
        sampler.awaitDelivery();
        List<StackProfile.Sample> samples = sampler.counts().snapshot();
        SoftAssertions softly = new SoftAssertions();
        long estimates = 0;
        long truths = 0;
        for (Truth site : sites) {
            long estimate = bytesAt(samples, site.method);
            long truth = site.bytes.sum();
            double ratio = (double) estimate / truth;
            System.out.printf("alloc_space/truth %s, %s: %.3f (%d / %d)%n", workload, site.method, ratio, estimate,
                    truth);
            softly.assertThat(ratio).as("%s: %s estimated %d, allocated %d", workload, site.method, estimate, truth)
                    .isBetween(lowest, highest);
            estimates += estimate;
            truths += truth;
        }
        softly.assertThat((double) estimates / truths).as("%s: all sites estimated %d, allocated %d", workload,
                estimates, truths).isBetween(1 - TOTAL_TOLERANCE, 1 + TOTAL_TOLERANCE);
        softly.assertAll();
    }

    private static long bytesAt(List<StackProfile.Sample> samples, String method) {
        return samples.stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.methodName().equals(method)
                        && f.className().equals(AllocationBurstTruthTest.class.getName())))
                .mapToLong(s -> s.values()[AllocationSampler.BYTES])
                .sum();
    }

    /** The bytes one site's calls allocated, each call counted by the JVM on its own thread. */
    private static final class Truth {
        final String method;
        final LongAdder bytes = new LongAdder();

        Truth(String method) {
            this.method = method;
        }
    }

    private static void leak(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 16; i++) {
            LEAKED[ThreadLocalRandom.current().nextInt(LEAKED.length)] = new byte[1000];
        }
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static void churn(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 16; i++) {
            sink = new byte[4000];
        }
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static void smallArrays(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 256; i++) {
            sink = new byte[64];
        }
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static void largeArray(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        sink = new byte[64 << 10];
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static void firstOwnThread(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 16; i++) {
            sink = new byte[128];
        }
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }

    private static void secondOwnThread(Truth truth) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 16; i++) {
            sink = new byte[8192];
        }
        truth.bytes.add(THREADS.getCurrentThreadAllocatedBytes() - before);
    }
}
