package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InUseEstimateTest {

    private static final List<Frame> LEAK = List.of(Frame.of("a.Cache", "put", "Cache.java", 10));
    private static final List<Frame> BUFFER = List.of(Frame.of("a.Io", "read", "Io.java", 20));
    private static final List<Frame> STARTUP = List.of(Frame.of("a.Main", "init", "Main.java", 30));

    @Test
    void sharesTheLiveHeapByLiveSamples() {
        InUseEstimate estimate = InUseEstimate.of(1000, List.of(site(LEAK, 3, 0), site(BUFFER, 1, 0)),
                Map.of(LEAK, 10_000L, BUFFER, 10_000L));
        assertThat(estimate.bytes(LEAK)).isEqualTo(750);
        assertThat(estimate.bytes(BUFFER)).isEqualTo(250);
        assertThat(estimate.unattributed()).isZero();
    }

    @Test
    void aSiteNeverHoldsMoreThanItAllocatedAndTheRestGoesToTheOthers() {
        InUseEstimate estimate = InUseEstimate.of(1000, List.of(site(LEAK, 1, 0), site(BUFFER, 1, 0)),
                Map.of(LEAK, 10_000L, BUFFER, 100L));
        assertThat(estimate.bytes(BUFFER)).isEqualTo(100);
        assertThat(estimate.bytes(LEAK)).isEqualTo(900);
    }

    @Test
    void whatNoSiteCanHoldStaysUnattributed() {
        InUseEstimate estimate = InUseEstimate.of(1000, List.of(site(LEAK, 5, 0)), Map.of(LEAK, 300L));
        assertThat(estimate.bytes(LEAK)).isEqualTo(300);
        assertThat(estimate.unattributed()).isEqualTo(700);
    }

    @Test
    void knownSizesOfLiveSamplesAreAFloor() {
        // One 600-byte live object outweighs the other site's many small ones.
        InUseEstimate estimate = InUseEstimate.of(1000, List.of(site(STARTUP, 1, 600), site(LEAK, 9, 0)),
                Map.of(LEAK, 10_000L));
        assertThat(estimate.bytes(STARTUP)).isEqualTo(600);
        assertThat(estimate.bytes(LEAK)).isEqualTo(400);
    }

    private static LiveObjectSampler.Site site(List<Frame> stack, long samples, long sizedBytes) {
        return new LiveObjectSampler.Site(stack, samples, sizedBytes > 0 ? samples : 0, sizedBytes);
    }
}
