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
            assertThat(allocateUntilSampled(second)).isPositive();
            assertThat(bytesAt(first.counts().snapshot(), "allocateSmall")).isZero();
        }
    }

    @Test
    void closingAHandlerTwiceLeavesAnotherOneSampling() throws Exception {
        PprofHandler first = new PprofHandler();
        try (AllocationSampler other = new AllocationSampler(1000, 64, 10_000, new ObjectSizes())) {
            first.close();
            first.close();
            assertThat(allocateUntilSampled(other)).isPositive();
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

    /**
     * Allocates at one site until the sampler has its bytes (a stream that has just started may
     * take a moment to sample), for at most ten seconds; returns them.
     */
    private static long allocateUntilSampled(AllocationSampler sampler) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long bytes = 0;
        while (bytes == 0 && System.nanoTime() < deadline) {
            long end = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < end) {
                allocateSmall(64);
            }
            sampler.awaitDelivery();
            bytes = bytesAt(sampler.counts().snapshot(), "allocateSmall");
        }
        return bytes;
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
