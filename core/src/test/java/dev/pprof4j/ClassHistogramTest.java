package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassHistogramTest {

    @Test
    void readsTheCommandsRowsMergesAClassLoadedTwiceAndLeavesOutDeadSpace() {
        ClassHistogram histogram = ClassHistogram.parse("""
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:          1000         900000  [B (java.base@25.0.3)
                   2:            10            240  com.example.Meter
                   3:             5            120  com.example.Meter
                   4:             7            336  com.example.Main$$Lambda/0x000071c3a4003400
                   5:             3          98304  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
                   6:             1             16  jdk.internal.vm.FillerObject (java.base@25.0.3)
                Total          1027         999016
                """);
        assertThat(histogram.entries()).containsExactly(
                new ClassHistogram.Entry("[B", 1000, 900_000),
                new ClassHistogram.Entry("com.example.Meter", 15, 360),
                new ClassHistogram.Entry("com.example.Main$$Lambda/0x000071c3a4003400", 7, 336));
        assertThat(histogram.totalBytes()).isEqualTo(900_696);
    }

    @Test
    void countsExactlyWhatLivesAfterCollectingWhatDied() {
        List<Kept> kept = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            kept.add(new Kept(i));
            new Dropped(i).hashCode();
        }
        ClassHistogram histogram = ClassHistogram.afterFullCollection();
        assertThat(histogram).isNotNull();
        ClassHistogram.Entry entry = histogram.get(Kept.class.getName());
        assertThat(entry.instances()).isEqualTo(10_000);
        assertThat(entry.bytes() / entry.instances()).isBetween(16L, 24L);
        assertThat(histogram.get(Dropped.class.getName())).isNull();
        assertThat(kept).hasSize(10_000);
    }

    private record Kept(long value) {
    }

    private record Dropped(long value) {
    }
}
