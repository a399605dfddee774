package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuWindowTest {

    private static final long PERIOD = 10_000_000;

    @Test
    void manyLabelledStacksStayUnderTheLimitWithTheRestInOneVisibleRow() {
        int limit = 15_000;
        CpuWindow window = new CpuWindow(limit);
        for (int i = 0; i < 20_000; i++) {
            window.add(CpuWindow.ANY_THREAD, List.of(Frame.of("app.Handler", "serve", "Handler.java", 1 + i % 50)),
                    Map.of("request", "r" + i), 1, PERIOD);
        }
        StackProfile profile = window.profile(window.end(), PERIOD, true, List.of());

        List<StackProfile.Sample> overflow = profile.samples().stream()
                .filter(s -> s.stack().equals(List.of(StackCounts.OVERFLOW))).toList();
        assertThat(overflow).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(5_000, 5_000 * PERIOD));
        assertThat(profile.samples().size()).isLessThanOrEqualTo(limit + 2);
        long sampled = profile.samples().stream().filter(s -> !s.stack().equals(List.of(CpuWindow.NOT_SAMPLED)))
                .mapToLong(s -> s.values()[0]).sum();
        assertThat(sampled).isEqualTo(20_000);
    }
}
