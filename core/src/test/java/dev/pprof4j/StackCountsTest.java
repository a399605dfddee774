package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackCountsTest {

    private static final Frame ROOT = Frame.of("com.example.Main", "main", "Main.java", 1);

    @Test
    void sumsPerStack() {
        StackCounts counts = new StackCounts(2, 10);
        List<Frame> a = List.of(Frame.of("a.A", "run", "A.java", 1), ROOT);
        counts.add(a, 100, 1);
        counts.add(List.of(Frame.of("a.A", "run", "A.java", 1), ROOT), 50, 1);
        assertThat(counts.snapshot()).singleElement()
                .satisfies(s -> assertThat(s.values()).containsExactly(150, 2));
    }

    @Test
    void aMillionDistinctStacksStayWithinTheCapAndTheTotalsStayRight() {
        int cap = 10_000;
        StackCounts counts = new StackCounts(2, cap);
        for (int i = 0; i < 1_000_000; i++) {
            counts.add(List.of(Frame.of("gen.G" + (i % 1000), "m" + (i / 1000), "G.java", i), ROOT), 10, 1);
        }
        assertThat(counts.size()).isEqualTo(cap);
        List<StackProfile.Sample> samples = counts.snapshot();
        assertThat(samples).hasSize(cap + 1);
        StackProfile.Sample overflow = samples.get(cap);
        assertThat(overflow.stack()).containsExactly(StackCounts.OVERFLOW);
        assertThat(counts.comments()).singleElement().asString()
                .contains("100000+ distinct stacks beyond the first 10000");
        assertThat(samples.stream().mapToLong(s -> s.values()[0]).sum()).isEqualTo(10_000_000L);
        assertThat(overflow.values()[1]).isEqualTo(990_000L);
    }

    @Test
    void theOverflowRowSurvivesADelta() {
        StackCounts counts = new StackCounts(1, 1);
        counts.add(List.of(ROOT), 1);
        counts.add(List.of(Frame.of("a.A", "one", "A.java", 1)), 10);
        StackProfile before = profile(counts);
        counts.add(List.of(Frame.of("a.A", "two", "A.java", 2)), 5);
        StackProfile delta = profile(counts).minus(before);
        assertThat(delta.samples()).singleElement().satisfies(s -> {
            assertThat(s.stack().get(0).functionName()).isEqualTo("[truncated: stacks beyond maxStacks]");
            assertThat(s.values()).containsExactly(5);
        });
    }

    private static StackProfile profile(StackCounts counts) {
        StackProfile.ValueType type = new StackProfile.ValueType("x", "count");
        return new StackProfile(List.of(type), null, type, 1, StackProfile.nowNanos(), 0, counts.snapshot(), List.of());
    }

    /**
     * The figure docs/heap-profiling.md gives: a full aggregate of stacks of
     * 32 frames, 16 of them found in no other stack, within 6 KiB a stack,
     * after a million distinct stacks were offered.
     */
    @Test
    void aFullAggregateStaysWithinItsDocumentedMemory() {
        int cap = 10_000;
        List<Frame> common = new ArrayList<>();
        for (int f = 0; f < 16; f++) {
            common.add(Frame.of("org.framework.Layer" + f, "handle", "Layer" + f + ".java", 100 + f));
        }
        long before = usedHeapAfterGc();
        StackCounts counts = new StackCounts(5, cap);
        for (int i = 0; i < 1_000_000; i++) {
            List<Frame> stack = new ArrayList<>(32);
            for (int f = 0; f < 16; f++) {
                stack.add(Frame.of("com.example.app.Service" + (i % 5000), "call" + f, "Service.java", i / 5000 + f));
            }
            stack.addAll(common);
            counts.add(stack, 1024, 1, 1, 0, 0);
        }
        long perStack = (usedHeapAfterGc() - before) / cap;
        assertThat(counts.size()).isEqualTo(cap);
        System.out.println("StackCounts memory per stack: " + perStack + " bytes");
        assertThat(perStack).isLessThan(6 * 1024);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void sharedFramesAreStoredOnce() {
        StackCounts counts = new StackCounts(1, 100);
        List<List<Frame>> stacks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Frame> stack = List.of(Frame.of("a.A", "leaf" + i, "A.java", i),
                    Frame.of("com.example.Main", "main", "Main.java", 1));
            stacks.add(stack);
            counts.add(stack, 1);
        }
        List<StackProfile.Sample> samples = counts.snapshot();
        assertThat(samples.get(0).stack().get(1)).isSameAs(samples.get(1).stack().get(1))
                .isSameAs(samples.get(2).stack().get(1));
    }
}
