package dev.pprof4j;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The heap size of objects that JFR names only by class, for turning sampled
 * bytes into object counts, as the running JVM lays them out.
 *
 * <p>JFR's allocation samples carry no size at all, and its old-object
 * samples carry one only from JDK 25 on. The layout follows the JVM's flags,
 * read once: the header is 8 bytes with {@code UseCompactObjectHeaders}
 * (JDK 24 on), 12 with {@code UseCompressedClassPointers}, 16 without;
 * references are 4 bytes with {@code UseCompressedOops}, 8 without; sizes are
 * rounded up to {@code ObjectAlignmentInBytes}. Instances place their fields
 * as HotSpot's field layout does since JDK 15: the superclass's fields where
 * they are, then the class's own, primitives largest first and references
 * last, each into the smallest gap left before it (by the header, by
 * alignment, by the superclass) that fits it aligned to its size, or else at
 * the end. An array's elements follow its header and 4-byte length, aligned
 * to 8 bytes for 8-byte elements; before JDK 22 all arrays' elements started
 * 8-byte aligned. Where reflection cannot see the whole layout (fields it
 * hides or HotSpot injects, {@code @Contended} padding) the size is unknown
 * rather than wrong.
 */
final class ObjectSizes {

    /** Unknown: the class could not be loaded from here, or reflection does not show its whole layout. */
    static final long UNKNOWN = -1;
    private static final int MAX_CACHED_CLASSES = 10_000;
    /**
     * Classes whose instances have fields reflection does not show, with their subclasses: fields
     * reflection filters out (jdk.internal.reflect.Reflection's field filter) or that HotSpot injects
     * (its javaClasses.hpp); a {@code Class} also holds its class's static fields.
     */
    private static final Set<String> HIDDEN_FIELDS = Set.of(
            "java.lang.Class",
            "java.lang.ClassLoader",
            "java.lang.Module",
            "java.lang.Thread",
            "java.lang.InternalError",
            "java.lang.StackFrameInfo",
            "java.lang.reflect.AccessibleObject",
            "java.lang.invoke.MemberName",
            "java.lang.invoke.MethodHandles$Lookup",
            "java.lang.invoke.MethodHandleNatives$CallSiteContext",
            "java.lang.invoke.ResolvedMethodName",
            "jdk.internal.reflect.ConstantPool",
            "jdk.internal.reflect.UnsafeStaticFieldAccessorImpl",
            "jdk.internal.vm.StackChunk");
    private static final HotSpotDiagnosticMXBean FLAGS = flags();
    private static final boolean COMPACT_HEADERS = flag("UseCompactObjectHeaders", false);
    private static final int OBJECT_HEADER = COMPACT_HEADERS ? 8 : flag("UseCompressedClassPointers", true) ? 12 : 16;
    private static final int REFERENCE = flag("UseCompressedOops", true) ? 4 : 8;
    private static final int ALIGNMENT = intFlag("ObjectAlignmentInBytes", 8);
    private static final boolean RESTRICT_CONTENDED = flag("RestrictContended", true);
    /** JDK 22 stopped aligning elements smaller than 8 bytes to 8 (JDK-8139457). */
    private static final boolean ELEMENTS_ALWAYS_8_ALIGNED = Runtime.version().feature() < 22;

    private final Map<String, Long> instanceSizes = new ConcurrentHashMap<>();

    /**
     * The size of one instance of a class named as {@link Class#getName()}
     * names it, or {@link #UNKNOWN} for arrays (their length is not in the
     * name), for classes not visible to this thread's class loaders and for
     * those whose layout reflection does not show.
     */
    long instanceSize(String className) {
        if (className.startsWith("[")) {
            return UNKNOWN;
        }
        Long size = instanceSizes.get(className);
        if (size == null) {
            size = computeInstanceSize(className);
            if (instanceSizes.size() < MAX_CACHED_CLASSES) {
                instanceSizes.put(className, size);
            }
        }
        return size;
    }

    /** The size of an array, its class named as {@link Class#getName()} names it ({@code [B}, {@code [Ljava.lang.String;}). */
    static long arraySize(String arrayClassName, long elements) {
        int elementSize = elementSize(arrayClassName.charAt(1));
        long base = OBJECT_HEADER + 4;
        if (ELEMENTS_ALWAYS_8_ALIGNED || elementSize == 8) {
            base = alignUp(base, 8);
        }
        return alignUp(base + elements * elementSize, ALIGNMENT);
    }

    private static int elementSize(char type) {
        switch (type) {
            case 'Z':
            case 'B':
                return 1;
            case 'C':
            case 'S':
                return 2;
            case 'I':
            case 'F':
                return 4;
            case 'J':
            case 'D':
                return 8;
            default:
                return REFERENCE;
        }
    }

    private static long computeInstanceSize(String className) {
        try {
            Class<?> type = load(className);
            if (type == null || !layoutVisible(type)) {
                return UNKNOWN;
            }
            return alignUp(fieldsOf(type).end, ALIGNMENT);
        } catch (RuntimeException | LinkageError e) {
            // A field whose type cannot be loaded, a class refused to reflection: size unknown.
            return UNKNOWN;
        }
    }

    /** Whether reflection shows every field of a class's instances as HotSpot lays them out. */
    private static boolean layoutVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (HIDDEN_FIELDS.contains(c.getName()) || mayBeContended(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code @Contended} pads a class or its groups of fields where the JVM honours it: in classes of
     * the boot and platform loaders, or in any with {@code -XX:-RestrictContended}.
     */
    private static boolean mayBeContended(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        if (RESTRICT_CONTENDED && loader != null && loader != ClassLoader.getPlatformClassLoader()) {
            return false;
        }
        if (contended(type.getDeclaredAnnotations())) {
            return true;
        }
        for (Field field : type.getDeclaredFields()) {
            if (contended(field.getDeclaredAnnotations())) {
                return true;
            }
        }
        return false;
    }

    private static boolean contended(Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            if (annotation.annotationType().getName().equals("jdk.internal.vm.annotation.Contended")) {
                return true;
            }
        }
        return false;
    }

    /** The fields of a class and its superclasses, placed as HotSpot places them. */
    private static FieldLayout fieldsOf(Class<?> type) {
        Class<?> superclass = type.getSuperclass();
        FieldLayout layout = superclass == null ? new FieldLayout(OBJECT_HEADER) : fieldsOf(superclass);
        List<Integer> primitives = new ArrayList<>();
        int references = 0;
        for (Field field : type.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            if (field.getType().isPrimitive()) {
                primitives.add(primitiveSize(field.getType()));
            } else {
                references++;
            }
        }
        primitives.sort(Comparator.reverseOrder());
        for (int size : primitives) {
            layout.place(size);
        }
        for (int i = 0; i < references; i++) {
            layout.place(REFERENCE);
        }
        return layout;
    }

    /** Where fields end, and the gaps before that end that later fields may fill. */
    private static final class FieldLayout {

        /** Offset and size of each gap, by offset. */
        private final List<int[]> gaps = new ArrayList<>();
        private int end;

        FieldLayout(int header) {
            this.end = header;
        }

        /** A field of {@code size} bytes, aligned to its size: the smallest gap that fits it, the highest if tied. */
        void place(int size) {
            int best = -1;
            for (int i = gaps.size() - 1; i >= 0; i--) {
                int[] gap = gaps.get(i);
                int padding = (int) alignUp(gap[0], size) - gap[0];
                if (gap[1] >= padding + size && (best < 0 || gap[1] < gaps.get(best)[1])) {
                    best = i;
                }
            }
            if (best < 0) {
                int offset = (int) alignUp(end, size);
                if (offset > end) {
                    gaps.add(new int[] {end, offset - end});
                }
                end = offset + size;
                return;
            }
            int[] gap = gaps.remove(best);
            int offset = (int) alignUp(gap[0], size);
            int after = gap[0] + gap[1] - offset - size;
            if (after > 0) {
                gaps.add(best, new int[] {offset + size, after});
            }
            if (offset > gap[0]) {
                gaps.add(best, new int[] {gap[0], offset - gap[0]});
            }
        }
    }

    private static int primitiveSize(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }

    private static Class<?> load(String className) {
        // Not the system loader: it could load a second copy of a web application's class.
        ClassLoader[] loaders = {Thread.currentThread().getContextClassLoader(), ObjectSizes.class.getClassLoader()};
        for (ClassLoader loader : loaders) {
            try {
                return Class.forName(className, false, loader);
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                // Not visible from this loader; try the next.
            }
        }
        return null;
    }

    private static long alignUp(long size, int alignment) {
        return (size + alignment - 1) & -alignment;
    }

    private static HotSpotDiagnosticMXBean flags() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A JVM flag's value, or {@code absent} where the JVM has no such flag (UseCompactObjectHeaders before 24) or is not HotSpot. */
    private static String flagValue(String name, String absent) {
        if (FLAGS == null) {
            return absent;
        }
        try {
            return FLAGS.getVMOption(name).getValue();
        } catch (RuntimeException e) {
            return absent;
        }
    }

    private static boolean flag(String name, boolean absent) {
        return Boolean.parseBoolean(flagValue(name, Boolean.toString(absent)));
    }

    private static int intFlag(String name, int absent) {
        try {
            return Integer.parseInt(flagValue(name, Integer.toString(absent)));
        } catch (NumberFormatException e) {
            return absent;
        }
    }
}
