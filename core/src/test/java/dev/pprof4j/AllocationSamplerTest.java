package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The sampler's per-stack byte estimates against what the threads really allocated. */
class AllocationSamplerTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    @Test
    void estimatesEachSitesAllocatedBytesWithinFifteenPercent() throws Exception {
        try (AllocationSampler sampler = new AllocationSampler(1000, 64, 10_000, new ObjectSizes())) {
            // Threads that outlive the work, as a server's do: their exact allocation counters stay readable.
            ExecutorService smallSite = Executors.newSingleThreadExecutor();
            ExecutorService largeSite = Executors.newSingleThreadExecutor();
            Future<Long> smallWork = smallSite.submit(() -> allocate(64, false));
            Future<Long> largeWork = largeSite.submit(() -> allocate(1024, true));
            long[] small = {smallWork.get()};
            long[] large = {largeWork.get()};
            List<StackProfile.Sample> samples = settled(sampler);
            smallSite.shutdown();
            largeSite.shutdown();
            long smallEstimate = bytesAt(samples, "allocateSmall");
            long largeEstimate = bytesAt(samples, "allocateLarge");
            assertThat((double) smallEstimate / small[0]).as("small site %d vs %d", smallEstimate, small[0])
                    .isBetween(0.85, 1.15);
            assertThat((double) largeEstimate / large[0]).as("large site %d vs %d", largeEstimate, large[0])
                    .isBetween(0.85, 1.15);
        }
    }

    @Test
    void samplersShareOneStreamAndEachStopsOnClose() throws Exception {
        AllocationSampler first = new AllocationSampler(1000, 64, 10_000, new ObjectSizes());
        try (AllocationSampler second = new AllocationSampler(1000, 64, 10_000, new ObjectSizes())) {
            first.close();
            allocate(64, false);
            settled(second);
            long afterClose = bytesAt(first.counts().snapshot(), "allocateSmall");
            assertThat(afterClose).isZero();
            assertThat(bytesAt(second.counts().snapshot(), "allocateSmall")).isPositive();
        }
    }

    @Test
    void closingAHandlerTwiceLeavesAnotherOneSampling() throws Exception {
        PprofHandler first = new PprofHandler();
        try (AllocationSampler other = new AllocationSampler(1000, 64, 10_000, new ObjectSizes())) {
            first.close();
            first.close();
            allocate(64, false);
            assertThat(bytesAt(settled(other), "allocateSmall")).isPositive();
        }
    }

    @Test
    void aHandlerThatCannotBeBuiltLeavesNoRecordingBehind() {
        int before = jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings().size();
        PprofOptions clash = PprofOptions.builder().profile(new CustomProfile("heap")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PprofHandler(clash))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()).hasSize(before);
    }

    /** The sampler's sums once JFR has delivered everything (it flushes to streams about once a second). */
    private static List<StackProfile.Sample> settled(AllocationSampler sampler) throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 20; i++) {
            Thread.sleep(1000);
            long total = sampler.counts().snapshot().stream().mapToLong(s -> s.values()[AllocationSampler.SAMPLES]).sum();
            if (total == previous) {
                break;
            }
            previous = total;
        }
        return sampler.counts().snapshot();
    }

    /**
     * Allocates at one of two sites for five seconds; returns what the thread
     * really allocated. Long enough that what a thread allocates after its
     * last sample (never counted) is a small part.
     */
    private static long allocate(int size, boolean large) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                if (large) {
                    allocateLarge(size);
                } else {
                    allocateSmall(size);
                }
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static void allocateSmall(int size) {
        sink = new byte[size];
    }

    private static void allocateLarge(int size) {
        sink = new byte[size];
    }

    private static long bytesAt(List<StackProfile.Sample> samples, String method) {
        return samples.stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.methodName().equals(method)))
                .mapToLong(s -> s.values()[AllocationSampler.BYTES])
                .sum();
    }
}
