package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackProfileTest {

    private static final List<Frame> A = List.of(Frame.of("a.A", "run", "A.java", 1));
    private static final List<Frame> B = List.of(Frame.of("b.B", "run", "B.java", 2));
    private static final List<Frame> C = List.of(Frame.of("c.C", "run", "C.java", 3));

    @Test
    void countsEqualStacksTogether() {
        StackProfile profile = goroutines(A, B, A, A);
        assertThat(profile.samples()).extracting(s -> s.stack(), s -> s.values()[0])
                .containsExactly(org.assertj.core.groups.Tuple.tuple(A, 3L), org.assertj.core.groups.Tuple.tuple(B, 1L));
        assertThat(profile.total(0)).isEqualTo(4);
    }

    @Test
    void deltaKeepsChangesWithTheirSignAndDropsWhatCancels() {
        StackProfile before = goroutines(A, B, B);
        StackProfile after = goroutines(A, B, C, C);
        StackProfile delta = after.minus(before);
        assertThat(delta.samples()).extracting(s -> s.stack(), s -> s.values()[0])
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(B, -1L),
                        org.assertj.core.groups.Tuple.tuple(C, 2L));
        assertThat(delta.timeNanos()).isEqualTo(after.timeNanos());
        assertThat(delta.durationNanos()).isEqualTo(after.timeNanos() - before.timeNanos());
    }

    @Test
    void labelsKeepRowsOfOneStackApartThroughADelta() {
        LabelledStack orders = new LabelledStack(A, Map.of("http.route", "/orders/{id}"));
        LabelledStack users = new LabelledStack(A, Map.of("http.route", "/users"));
        StackProfile before = StackProfile.counts("goroutine", List.of(orders, users));
        StackProfile after = StackProfile.counts("goroutine", List.of(orders, orders, users));
        assertThat(after.samples()).extracting(s -> s.labels().get("http.route"), s -> s.values()[0])
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/orders/{id}", 2L),
                        org.assertj.core.groups.Tuple.tuple("/users", 1L));
        assertThat(after.minus(before).samples()).extracting(s -> s.labels().get("http.route"), s -> s.values()[0])
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/orders/{id}", 1L));
    }

    @SafeVarargs
    private static StackProfile goroutines(List<Frame>... stacks) {
        return StackProfile.counts("goroutine", Arrays.stream(stacks).map(LabelledStack::of).toList());
    }
}
