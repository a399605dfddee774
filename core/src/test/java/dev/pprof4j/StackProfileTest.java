package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackProfileTest {

    private static final List<Frame> A = List.of(Frame.of("a.A", "run", "A.java", 1));
    private static final List<Frame> B = List.of(Frame.of("b.B", "run", "B.java", 2));
    private static final List<Frame> C = List.of(Frame.of("c.C", "run", "C.java", 3));

    @Test
    void countsEqualStacksTogether() {
        StackProfile profile = StackProfile.counts("goroutine", List.of(A, B, A, A));
        assertThat(profile.samples()).extracting(s -> s.stack(), s -> s.values()[0])
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, 3L), org.assertj.core.groups.Tuple.tuple(B, 1L));
        assertThat(profile.total(0)).isEqualTo(4);
    }

    @Test
    void deltaKeepsChangesWithTheirSignAndDropsWhatCancels() {
        StackProfile before = StackProfile.counts("goroutine", List.of(A, B, B));
        StackProfile after = StackProfile.counts("goroutine", List.of(A, B, C, C));
        StackProfile delta = after.minus(before);
        assertThat(delta.samples()).extracting(s -> s.stack(), s -> s.values()[0])
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(B, -1L),
                        org.assertj.core.groups.Tuple.tuple(C, 2L));
        assertThat(delta.timeNanos()).isEqualTo(after.timeNanos());
        assertThat(delta.durationNanos()).isEqualTo(after.timeNanos() - before.timeNanos());
    }
}
