package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocatedObjectsTest {

    private static final LabelledStack STACK = LabelledStack.of(List.of(Frame.of("a.A", "grow", "A.java", 3)));

    @Test
    void aLargerLiveMeanSizeNeverTakesObjectsBack() {
        AllocatedObjects objects = new AllocatedObjects();
        assertThat(objects.unsized(STACK, 64_000, 10, 64)).isEqualTo(1000);
        // The live samples now say the arrays are larger: only the new bytes are counted at that size.
        assertThat(objects.unsized(STACK, 128_000, 20, 6400)).isEqualTo(1010);
        assertThat(objects.unsized(STACK, 128_000, 20, 1)).isEqualTo(1010);
    }

    @Test
    void withoutALiveSizeNewSamplesCountOneEachAndAnOlderSnapshotAddsNothing() {
        AllocatedObjects objects = new AllocatedObjects();
        assertThat(objects.unsized(STACK, 1000, 4, 0)).isEqualTo(4);
        assertThat(objects.unsized(STACK, 3000, 6, 100)).isEqualTo(24);
        assertThat(objects.unsized(STACK, 2000, 5, 100)).isEqualTo(24);
        assertThat(objects.unsized(LabelledStack.of(List.of(Frame.of("b.B", "other", "B.java", 1))), 100, 1, 0)).isEqualTo(1);
    }
}
