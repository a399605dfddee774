package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FrameTableTest {

    private static final Frame A = Frame.of("a.A", "run", "A.java", 1);
    private static final Frame B = Frame.of("b.B", "run", "B.java", 2);
    private static final Frame C = Frame.of("c.C", "run", "C.java", 3);

    @Test
    void anAddressAndTheAddressMinusOneFindTheFrame() {
        FrameTable table = new FrameTable(10);
        long a = table.address(A);
        long b = table.address(B);
        assertThat(table.address(A)).isEqualTo(a);
        assertThat(a).isNotEqualTo(b);
        assertThat(table.frameAt(a)).isEqualTo(A);
        assertThat(table.frameAt(a - 1)).isEqualTo(A);
        assertThat(table.frameAt(b - 1)).isEqualTo(B);
        assertThat(table.frameAt(0x1)).isNull();
        assertThat(table.frameAt(b + 0x10)).isNull();
    }

    @Test
    void aFullTableForgetsOldAddressesButNeverChangesOne() {
        FrameTable table = new FrameTable(2);
        long a = table.address(A);
        long b = table.address(B);
        long c = table.address(C);
        assertThat(table.frameAt(c)).isEqualTo(C);
        assertThat(table.frameAt(a)).isNull();
        assertThat(table.address(A)).isEqualTo(a);
        assertThat(table.frameAt(a)).isEqualTo(A);
        assertThat(new FrameTable(10).address(B)).isEqualTo(b);
    }

    @Test
    void addressesAreNonZeroDistinctAndBelowTheSignBit() {
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            long address = FrameTable.addressOf(Frame.of("com.example.Class" + (i % 1000), "m" + (i / 1000),
                    "Class.java", i % 7));
            assertThat(address).isPositive();
            assertThat(address & 0xf).isEqualTo(8);
            addresses.add(address);
        }
        assertThat(addresses).hasSize(200_000);
        assertThat(FrameTable.addressOf(Frame.of("ab", "c", "", 0)))
                .isNotEqualTo(FrameTable.addressOf(Frame.of("a", "bc", "", 0)));
    }

    @Test
    void sourcePathsFollowThePackage() {
        assertThat(Frame.of("com.example.Outer$Inner", "run", "Outer.java", 5).sourcePath())
                .isEqualTo("com/example/Outer.java");
        assertThat(Frame.of("Main", "main", "Main.java", 1).sourcePath()).isEqualTo("Main.java");
        assertThat(Frame.of("com.example.Gen", "run", null, -2)).extracting(Frame::sourcePath, Frame::line)
                .containsExactly("", 0);
    }
}
