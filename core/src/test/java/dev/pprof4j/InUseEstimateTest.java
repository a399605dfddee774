package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InUseEstimateTest {

    private static final List<Frame> LEAK = List.of(Frame.of("a.Cache", "put", "Cache.java", 10));
    private static final List<Frame> SIBLING = List.of(Frame.of("a.Io", "read", "Io.java", 20));
    private static final List<Frame> STARTUP = List.of(Frame.of("a.Main", "init", "Main.java", 30));

    private static final ClassHistogram HISTOGRAM = ClassHistogram.parse("""
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:          1000         900000  [B (java.base@17.0.15)
               2:           300           7200  java.lang.String (java.base@17.0.15)
               3:           100           3200  java.util.HashMap$Node (java.base@17.0.15)
            Total          1400         910400
            """);

    @Test
    void eachClassIsSharedAmongTheStacksWithLiveSamplesOfItByTheirNumber() {
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM,
                List.of(site(LEAK, "[B", 3), site(STARTUP, "[B", 1), site(STARTUP, "java.lang.String", 2)), Map.of());
        assertThat(estimate.of(LEAK)).isEqualTo(new InUseEstimate.Share(675_000, 750));
        assertThat(estimate.of(STARTUP)).isEqualTo(new InUseEstimate.Share(225_000 + 7_200, 250 + 300));
    }

    @Test
    void aStackGetsNothingOfAClassItHoldsNoLiveSampleOf() {
        // The sibling allocated many arrays of the same class, all dead: it has no live sample.
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM,
                List.of(site(LEAK, "[B", 5), site(SIBLING, "java.lang.String", 1)), Map.of());
        assertThat(estimate.of(LEAK).bytes()).isEqualTo(900_000);
        assertThat(estimate.of(SIBLING).bytes()).isEqualTo(7_200);
    }

    @Test
    void aClassWithoutLiveSamplesGoesToTheStacksWithLiveSamplesByWhatTheyAllocatedOfIt() {
        // Strings: the sibling allocated most, but keeps nothing; the leak and start-up keep, 3 : 1.
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM,
                List.of(site(LEAK, "[B", 3), site(STARTUP, "[B", 1)),
                Map.of("java.lang.String", Map.of(LEAK, 3_000L, STARTUP, 1_000L, SIBLING, 90_000L)));
        assertThat(estimate.of(LEAK)).isEqualTo(new InUseEstimate.Share(675_000 + 5_400, 750 + 225));
        assertThat(estimate.of(STARTUP)).isEqualTo(new InUseEstimate.Share(225_000 + 1_800, 250 + 75));
        assertThat(estimate.of(SIBLING)).isEqualTo(new InUseEstimate.Share(0, 0));
        assertThat(estimate.unsampled()).containsExactly(new ClassHistogram.Entry("java.util.HashMap$Node", 100, 3_200));
    }

    @Test
    void aClassWithoutLiveSamplesGoesAlsoToTheCallsOnTheWayToALiveSample() {
        // The leak's live array was allocated in Cache.put, called from Api.handle, which also made the
        // map's nodes; Io.read, called from the next line of Api.handle, kept nothing.
        Frame handle = Frame.of("a.Api", "handle", "Api.java", 5);
        List<Frame> put = List.of(LEAK.get(0), handle);
        List<Frame> node = List.of(handle);
        List<Frame> read = List.of(SIBLING.get(0), Frame.of("a.Api", "handle", "Api.java", 6));
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM, List.of(site(put, "[B", 3)),
                Map.of("java.util.HashMap$Node", Map.of(node, 1_000L, read, 50_000L)));
        assertThat(estimate.of(node)).isEqualTo(new InUseEstimate.Share(3_200, 100));
        assertThat(estimate.of(read)).isEqualTo(new InUseEstimate.Share(0, 0));
        assertThat(estimate.unsampled()).containsExactly(new ClassHistogram.Entry("java.lang.String", 300, 7_200));
    }

    @Test
    void classesWithoutLiveSamplesAreRowsOfTheirOwn() {
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM, List.of(site(LEAK, "[B", 1)), Map.of());
        assertThat(estimate.unsampled()).containsExactly(
                new ClassHistogram.Entry("java.lang.String", 300, 7_200),
                new ClassHistogram.Entry("java.util.HashMap$Node", 100, 3_200));
    }

    @Test
    void samplesOfAClassThatNoLongerLivesGetNothing() {
        InUseEstimate estimate = InUseEstimate.byClass(HISTOGRAM,
                List.of(site(LEAK, "[B", 1), site(SIBLING, "a.Gone", 4), site(STARTUP, null, 2)), Map.of());
        assertThat(estimate.of(LEAK).bytes()).isEqualTo(900_000);
        assertThat(estimate.of(SIBLING)).isEqualTo(new InUseEstimate.Share(0, 0));
        assertThat(estimate.of(STARTUP)).isEqualTo(new InUseEstimate.Share(0, 0));
    }

    @Test
    void withoutAHistogramTheLiveHeapIsSharedByLiveSamples() {
        InUseEstimate estimate = InUseEstimate.bySamples(1000, List.of(
                new LiveObjectSampler.Site(LEAK, "[B", 3, 3, 300),
                new LiveObjectSampler.Site(LEAK, "java.lang.String", 3, 0, 0),
                new LiveObjectSampler.Site(SIBLING, "[B", 2, 0, 0)));
        // Objects: bytes over the mean known size of the stack's samples, 100 bytes at the leak.
        assertThat(estimate.of(LEAK)).isEqualTo(new InUseEstimate.Share(750, 7));
        assertThat(estimate.of(SIBLING)).isEqualTo(new InUseEstimate.Share(250, 0));
        assertThat(estimate.unsampled()).isEmpty();
    }

    private static LiveObjectSampler.Site site(List<Frame> stack, String className, long samples) {
        return new LiveObjectSampler.Site(stack, className, samples, 0, 0);
    }
}
