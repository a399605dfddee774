package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Samplers share one recording stream and each stops on close. How close their
 * byte estimates come is {@link AllocationBurstTruthTest}'s.
 */
class AllocationSamplerTest {

    private static volatile Object sink;

    @Test
    void samplersShareOneStreamAndEachStopsOnClose() throws Exception {
        AllocationSampler first = new AllocationSampler(1000, 64, 10_000, new ObjectSizes());
        try (AllocationSampler second = new AllocationSampler(1000, 64, 10_000, new ObjectSizes())) {
            first.close();
            allocate();
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
            allocate();
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

    /** The sampler's sums once JFR has delivered what was allocated so far. */
    private static List<StackProfile.Sample> settled(AllocationSampler sampler) throws InterruptedException {
        sampler.awaitDelivery();
        return sampler.counts().snapshot();
    }

    /** Allocates at one site long enough for it to be sampled. */
    private static void allocate() {
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            allocateSmall(64);
        }
    }

    private static void allocateSmall(int size) {
        sink = new byte[size];
    }

    private static long bytesAt(List<StackProfile.Sample> samples, String method) {
        return samples.stream()
                .filter(s -> s.stack().stream().anyMatch(f -> f.methodName().equals(method)))
                .mapToLong(s -> s.values()[AllocationSampler.BYTES])
                .sum();
    }
}
