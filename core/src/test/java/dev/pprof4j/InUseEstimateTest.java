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

    @Test
    void whatAFullSiteCannotTakeGoesToStacksUnderTheSameCallersNearestFirst() {
        List<Frame> callers = frames("app.Filter", 12);
        List<Frame> timer = stack(Frame.of("m.Timer", "<init>", "Timer.java", 1), callers);
        List<Frame> histogram = stack(Frame.of("m.Histogram", "<init>", "Histogram.java", 2),
                stack(Frame.of("m.Timer", "<init>", "Timer.java", 5), callers));
        List<Frame> cousin = stack(Frame.of("m.Tags", "of", "Tags.java", 3), callers.subList(1, callers.size()));
        List<Frame> stranger = stack(Frame.of("x.Json", "parse", "Json.java", 4), frames("x.Handler", 12));
        List<Frame> poolmate = stack(Frame.of("x.Task", "run", "Task.java", 6), callers.subList(6, callers.size()));
        InUseEstimate estimate = InUseEstimate.of(10_000, List.of(site(timer, 10, 0)),
                Map.of(timer, 1_000L, histogram, 2_000L, cousin, 3_000L, stranger, 50_000L, poolmate, 50_000L));
        assertThat(estimate.bytes(timer)).isEqualTo(1_000);
        // The histogram branches off one frame above the timer, the cousin two: each takes all it allocated.
        assertThat(estimate.bytes(histogram)).isEqualTo(2_000);
        assertThat(estimate.bytes(cousin)).isEqualTo(3_000);
        assertThat(estimate.bytes(stranger)).isZero();
        // Shares fewer than eight callers, so no kin, though the timer still lacks 4,000 bytes.
        assertThat(estimate.bytes(poolmate)).isZero();
        assertThat(estimate.unattributed()).isEqualTo(4_000);
    }

    @Test
    void relativesTakeNoMoreThanTheFullSitesShortOfTheirShare() {
        List<Frame> callers = frames("app.Filter", 12);
        List<Frame> leak = stack(Frame.of("m.Timer", "<init>", "Timer.java", 1), callers);
        List<Frame> sibling = stack(Frame.of("m.Timer", "<init>", "Timer.java", 2), callers);
        // Half the live samples are at the leak, but it allocated only 1,000 bytes: it is 4,000 short,
        // which its sibling takes, though it has room for more; STARTUP's 3,000 short have no kin.
        InUseEstimate estimate = InUseEstimate.of(10_000, List.of(site(leak, 1, 0), site(STARTUP, 1, 0)),
                Map.of(leak, 1_000L, sibling, 10_000L, STARTUP, 2_000L));
        assertThat(estimate.bytes(leak)).isEqualTo(1_000);
        assertThat(estimate.bytes(sibling)).isEqualTo(4_000);
        assertThat(estimate.bytes(STARTUP)).isEqualTo(2_000);
        assertThat(estimate.unattributed()).isEqualTo(3_000);
    }

    @Test
    void aRelativeIsFoundWhereAFrameRecurs() {
        Frame chain = Frame.of("web.Chain", "doFilter", "Chain.java", 7);
        List<Frame> callers = stack(chain, frames("web.Server", 7));
        List<Frame> leak = stack(Frame.of("m.Timer", "<init>", "Timer.java", 1), callers);
        // Through the chain twice: its first chain frame is not where it joins the leak's callers.
        List<Frame> sibling = stack(Frame.of("m.Histogram", "<init>", "Histogram.java", 2),
                stack(chain, stack(Frame.of("web.Filter", "doFilter", "Filter.java", 3), callers)));
        InUseEstimate estimate = InUseEstimate.of(10_000, List.of(site(leak, 1, 0)),
                Map.of(leak, 1_000L, sibling, 50_000L));
        assertThat(estimate.bytes(sibling)).isEqualTo(9_000);
    }

    @Test
    void aSiteWhoseStackWentToTheOverflowRowHasNoKnownKin() {
        List<Frame> callers = frames("app.Filter", 12);
        List<Frame> uncounted = stack(Frame.of("m.Timer", "<init>", "Timer.java", 1), callers);
        List<Frame> sibling = stack(Frame.of("m.Timer", "<init>", "Timer.java", 2), callers);
        InUseEstimate estimate = InUseEstimate.of(10_000, List.of(site(uncounted, 1, 0)), Map.of(sibling, 10_000L));
        assertThat(estimate.bytes(sibling)).isZero();
        assertThat(estimate.unattributed()).isEqualTo(10_000);
    }

    /** {@code count} frames of {@code className}, leaf first. */
    private static List<Frame> frames(String className, int count) {
        List<Frame> frames = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            frames.add(Frame.of(className, "call" + i, "F.java", i + 1));
        }
        return frames;
    }

    private static List<Frame> stack(Frame leaf, List<Frame> callers) {
        List<Frame> stack = new java.util.ArrayList<>(List.of(leaf));
        stack.addAll(callers);
        return List.copyOf(stack);
    }

    private static LiveObjectSampler.Site site(List<Frame> stack, long samples, long sizedBytes) {
        return new LiveObjectSampler.Site(stack, samples, sizedBytes > 0 ? samples : 0, sizedBytes);
    }
}
