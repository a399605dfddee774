package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates the heap size of objects that JFR names only by class, for
 * turning sampled bytes into object counts.
 *
 * <p>JFR's allocation samples carry no size at all, and its old-object
 * samples carry one only from JDK 25 on. Arrays are sized from their element
 * count; instances from their class's fields, laid out as HotSpot does by
 * default (12-byte header with compressed class pointers, 4-byte references
 * with compressed oops, 8-byte alignment). Gaps HotSpot cannot fill make a
 * real object at most a few bytes larger.
 */
final class ObjectSizes {

    /** Unknown: the class could not be loaded from here. */
    static final long UNKNOWN = -1;
    private static final int MAX_CACHED_CLASSES = 10_000;
    private static final boolean COMPRESSED_OOPS = compressedOops();
    private static final int REFERENCE = COMPRESSED_OOPS ? 4 : 8;
    private static final int OBJECT_HEADER = 12;
    private static final int ARRAY_HEADER = 16;

    private final Map<String, Long> instanceSizes = new ConcurrentHashMap<>();

    /**
     * The size of one instance of a class named as {@link Class#getName()}
     * names it, or {@link #UNKNOWN} for arrays (their length is not in the
     * name) and for classes not visible to this thread's class loaders.
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
        return align(ARRAY_HEADER + elements * elementSize(arrayClassName.charAt(1)));
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
            if (type == null) {
                return UNKNOWN;
            }
            long size = OBJECT_HEADER;
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        size += field.getType().isPrimitive() ? primitiveSize(field.getType()) : REFERENCE;
                    }
                }
            }
            return align(size);
        } catch (RuntimeException | LinkageError e) {
            // A field whose type cannot be loaded, a class refused to reflection: size unknown.
            return UNKNOWN;
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

    private static long align(long size) {
        return (size + 7) & ~7L;
    }

    private static boolean compressedOops() {
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(
                    com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("UseCompressedOops").getValue());
        } catch (RuntimeException e) {
            return true;
        }
    }
}
