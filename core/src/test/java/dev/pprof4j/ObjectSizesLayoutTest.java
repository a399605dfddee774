package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.pprof4j.testing.ChildJvm;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ObjectSizes} against the JVM itself: a child JVM per layout this
 * JVM can be started with keeps instances of probe classes and arrays of
 * every type at several lengths, counts them with its own class histogram
 * after a full collection, and sizes them with {@code ObjectSizes}; the two
 * must agree to the byte. Every other class in the child's heap, the JDK's
 * own, must be sized to the byte too, or be said to be unknown.
 */
class ObjectSizesLayoutTest {

    private static final int INSTANCES = 10_000;
    private static final int ARRAYS = 1_000;
    private static final int[] LENGTHS = {0, 1, 3, 7, 100};
    private static final String[] ARRAY_CLASSES = {"[Z", "[B", "[C", "[S", "[I", "[F", "[J", "[D", "[Ljava.lang.Object;"};
    private static final List<String> LAYOUT_FLAGS = List.of("UseCompressedOops", "UseCompressedClassPointers",
            "UseCompactObjectHeaders", "ObjectAlignmentInBytes");
    private static final Pattern FLAG_OPTION = Pattern.compile("-XX:(?:([+-])(\\w+)|(\\w+)=(\\S+))");
    private static final HotSpotDiagnosticMXBean FLAGS = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    /** The layouts: the default, each flag that changes one, where this JVM has the flag. */
    static Stream<List<String>> layouts() {
        List<List<String>> layouts = new ArrayList<>();
        layouts.add(List.of());
        layouts.add(List.of("-XX:-UseCompressedOops"));
        if (hasFlag("UseCompressedClassPointers")) {
            layouts.add(List.of("-XX:-UseCompressedClassPointers"));
        }
        layouts.add(List.of("-XX:ObjectAlignmentInBytes=16"));
        if (hasFlag("UseCompactObjectHeaders")) {
            // Experimental on JDK 24, where it needs unlocking; a product flag from 25 on.
            layouts.add(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+UseCompactObjectHeaders"));
        }
        return layouts.stream();
    }

    @Test
    void compactObjectHeadersAreAmongTheLayoutsFromJdk25On() {
        if (Runtime.version().feature() >= 25) {
            assertThat(hasFlag("UseCompactObjectHeaders")).as("UseCompactObjectHeaders on JDK %s", Runtime.version())
                    .isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void sizesAreTheClassHistogramsToTheByte(List<String> layout) throws Exception {
        // No dead wood: a full collection may leave some garbage in place as filler arrays (int[] on JDK 17),
        // which the histogram counts. No compiler: compiling a method makes the strings it names.
        List<String> options = new ArrayList<>(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:MarkSweepDeadRatio=0",
                "-Xint"));
        options.addAll(layout);
        List<String> output = ChildJvm.run(options, Child.class);
        String report = layout + "\n" + String.join("\n", output);

        Map<String, String> flags = new LinkedHashMap<>();
        List<String> mismatches = new ArrayList<>();
        int instanceChecks = 0;
        int arrayChecks = 0;
        int sizedClasses = 0;
        for (String line : output) {
            String[] f = line.split(" ");
            switch (f[0]) {
                case "flag" -> flags.put(f[1], f[2]);
                case "instance", "array" -> {
                    boolean instance = f[0].equals("instance");
                    instanceChecks += instance ? 1 : 0;
                    arrayChecks += instance ? 0 : 1;
                    long instances = fromEnd(f, 3);
                    if (instances != (instance ? INSTANCES : ARRAYS) || fromEnd(f, 2) != instances * fromEnd(f, 1)) {
                        mismatches.add(line);
                    }
                }
                case "heap" -> {
                    long size = fromEnd(f, 1);
                    if (size == ObjectSizes.UNKNOWN) {
                        // A hidden class, or one whose fields reflection does not show.
                    } else if (fromEnd(f, 2) == fromEnd(f, 3) * size) {
                        sizedClasses++;
                    } else {
                        mismatches.add(line);
                    }
                }
                default -> {
                    // The JVM's own warnings, such as a deprecated flag's.
                }
            }
        }
        // The child was laid out as asked.
        for (String option : layout) {
            Matcher flag = FLAG_OPTION.matcher(option);
            assertThat(flag.matches()).as(option).isTrue();
            if (flag.group(2) != null && LAYOUT_FLAGS.contains(flag.group(2))) {
                assertThat(flags).as(report).containsEntry(flag.group(2), Boolean.toString(flag.group(1).equals("+")));
            } else if (flag.group(3) != null && LAYOUT_FLAGS.contains(flag.group(3))) {
                assertThat(flags).as(report).containsEntry(flag.group(3), flag.group(4));
            }
        }
        assertThat(instanceChecks).as(report).isEqualTo(Child.PROBES.size());
        assertThat(arrayChecks).as(report).isEqualTo(ARRAY_CLASSES.length * LENGTHS.length);
        // Every class of the child's heap, the JDK's own included, is sized exactly or said to be unknown.
        assertThat(sizedClasses).as(report).isGreaterThan(300);
        assertThat(mismatches).as(report).isEmpty();
    }

    /** Instances, bytes and ObjectSizes' size end the child's lines: 3, 2 and 1 from the end. */
    private static long fromEnd(String[] fields, int position) {
        return Long.parseLong(fields[fields.length - position]);
    }

    private static boolean hasFlag(String name) {
        try {
            FLAGS.getVMOption(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Prints {@code flag NAME VALUE}, {@code instance CLASS INSTANCES BYTES SIZE} and
     * {@code array CLASS LENGTH INSTANCES BYTES SIZE}: the histogram's figures, then
     * {@code ObjectSizes}' answer.
     */
    static final class Child {

        static final Map<Class<?>, Supplier<Object>> PROBES = probes();

        public static void main(String[] args) {
            for (String flag : LAYOUT_FLAGS) {
                if (hasFlag(flag)) {
                    System.out.println("flag " + flag + " " + FLAGS.getVMOption(flag).getValue());
                }
            }
            ObjectSizes sizes = new ObjectSizes();
            Map<Class<?>, Long> instanceSizes = new LinkedHashMap<>();
            List<Object[]> instances = new ArrayList<>();
            PROBES.forEach((type, make) -> {
                instanceSizes.put(type, sizes.instanceSize(type.getName()));
                Object[] kept = new Object[INSTANCES];
                for (int i = 0; i < kept.length; i++) {
                    kept[i] = make.get();
                }
                instances.add(kept);
            });
            long[][] arraySizes = new long[LENGTHS.length][ARRAY_CLASSES.length];
            for (int l = 0; l < LENGTHS.length; l++) {
                for (int c = 0; c < ARRAY_CLASSES.length; c++) {
                    arraySizes[l][c] = ObjectSizes.arraySize(ARRAY_CLASSES[c], LENGTHS[l]);
                }
            }

            // Arrays share their class's row with the JVM's own: they are measured as the row's change
            // while only they are made. Nothing between two counts may allocate anything else that
            // lives, so holders and figures exist before the first count, and that count is made
            // three times: the first ones leave the management beans behind.
            Object[][][] arrays = new Object[LENGTHS.length][ARRAY_CLASSES.length][ARRAYS];
            long[][] counted = new long[LENGTHS.length + 1][2 * ARRAY_CLASSES.length];
            countArrays(counted[0]);
            countArrays(counted[0]);
            countArrays(counted[0]);
            for (int l = 0; l < LENGTHS.length; l++) {
                for (int c = 0; c < ARRAY_CLASSES.length; c++) {
                    for (int i = 0; i < ARRAYS; i++) {
                        arrays[l][c][i] = newArray(c, LENGTHS[l]);
                    }
                }
                countArrays(counted[l + 1]);
            }

            ClassHistogram histogram = ClassHistogram.afterFullCollection();
            instanceSizes.forEach((type, size) -> {
                ClassHistogram.Entry entry = histogram.get(type.getName());
                System.out.println("instance " + type.getName() + " " + entry.instances() + " " + entry.bytes() + " " + size);
            });
            for (ClassHistogram.Entry entry : histogram.entries()) {
                if (!entry.className().startsWith("[")) {
                    System.out.println("heap " + entry.className() + " " + entry.instances() + " " + entry.bytes() + " "
                            + sizes.instanceSize(entry.className()));
                }
            }
            for (int l = 0; l < LENGTHS.length; l++) {
                for (int c = 0; c < ARRAY_CLASSES.length; c++) {
                    System.out.println("array " + ARRAY_CLASSES[c] + " " + LENGTHS[l] + " "
                            + (counted[l + 1][2 * c] - counted[l][2 * c]) + " "
                            + (counted[l + 1][2 * c + 1] - counted[l][2 * c + 1]) + " " + arraySizes[l][c]);
                }
            }
            // Kept to here: what the counts counted.
            Reference.reachabilityFence(instances);
            Reference.reachabilityFence(arrays);
        }

        /** Instances and bytes of each array class, written into {@code into} without allocating what outlives the call. */
        private static void countArrays(long[] into) {
            ClassHistogram histogram = ClassHistogram.afterFullCollection();
            for (int c = 0; c < ARRAY_CLASSES.length; c++) {
                ClassHistogram.Entry entry = histogram.get(ARRAY_CLASSES[c]);
                into[2 * c] = entry == null ? 0 : entry.instances();
                into[2 * c + 1] = entry == null ? 0 : entry.bytes();
            }
        }

        private static Object newArray(int arrayClass, int length) {
            switch (arrayClass) {
                case 0:
                    return new boolean[length];
                case 1:
                    return new byte[length];
                case 2:
                    return new char[length];
                case 3:
                    return new short[length];
                case 4:
                    return new int[length];
                case 5:
                    return new float[length];
                case 6:
                    return new long[length];
                case 7:
                    return new double[length];
                default:
                    return new Object[length];
            }
        }

        private static Map<Class<?>, Supplier<Object>> probes() {
            Map<Class<?>, Supplier<Object>> probes = new LinkedHashMap<>();
            probes.put(Empty.class, Empty::new);
            probes.put(OneByte.class, OneByte::new);
            probes.put(OneInt.class, OneInt::new);
            probes.put(OneLong.class, OneLong::new);
            probes.put(OneReference.class, OneReference::new);
            probes.put(Mixed.class, Mixed::new);
            probes.put(EveryType.class, EveryType::new);
            probes.put(GapFiller.class, GapFiller::new);
            probes.put(Bytes3.class, Bytes3::new);
            probes.put(Point.class, () -> new Point(1, 2L, "p"));
            return probes;
        }
    }

    static class Empty {
    }

    static class OneByte {
        byte b;
    }

    static class OneInt {
        int i;
    }

    static class OneLong {
        long l;
    }

    static class OneReference {
        Object r;
    }

    static class Mixed {
        byte b;
        long l;
        Object r;
        short s;
    }

    static class EveryType {
        boolean z;
        byte b;
        char c;
        short s;
        int i;
        float f;
        long j;
        double d;
        Object r;
        String t;
    }

    /** A long, which leaves a gap after a 12-byte header. */
    static class Gapped {
        long l;
    }

    /** Fills its superclass's gap where it fits one. */
    static class GapFiller extends Gapped {
        int i;
        byte b;
        Object r;
    }

    static class Bytes1 {
        byte a;
    }

    static class Bytes2 extends Bytes1 {
        byte b;
    }

    /** Bytes packed right after the superclass's, then a long aligned. */
    static class Bytes3 extends Bytes2 {
        long l;
        byte c;
    }

    record Point(int x, long y, String name) {
    }
}
