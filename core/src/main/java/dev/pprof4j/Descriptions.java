package dev.pprof4j;

import java.util.Map;

/**
 * Go's {@code profileDescriptions}: the index page's line for every built-in
 * endpoint, in one table. Go's wording where the JVM's profile means the
 * same; where it does not ({@code goroutine}, {@code goroutineleak}, {@code mutex}, {@code trace}),
 * what this one serves.
 */
final class Descriptions {

    private static final Map<String, String> BY_NAME = Map.of(
            "allocs", "A sampling of all past memory allocations",
            "block", "Stack traces that led to blocking on synchronization primitives",
            "cmdline", "The command line invocation of the current program",
            "goroutine", "Stack traces of all current threads",
            // Go's are goroutines blocked on what nothing can reach; the JVM can tell deadlocks.
            "goroutineleak", "Stack traces of threads that can never proceed: deadlocked on monitors or locks",
            "heap", "A sampling of memory allocations of live objects. You can specify the gc GET parameter to"
                    + " run GC before taking the heap sample.",
            // Go says "holders of contended mutexes"; JFR records the waiters.
            "mutex", "Stack traces of threads that waited for contended locks",
            "profile", "CPU profile. You can specify the duration in the seconds GET parameter. After you get the"
                    + " profile file, use the go tool pprof command to investigate the profile.",
            "threadcreate", "Stack traces that led to the creation of new threads",
            "trace", "A JDK Flight Recorder recording of the current program (Java's counterpart of Go's execution"
                    + " trace). You can specify the duration in the seconds GET parameter. Open the file in JDK"
                    + " Mission Control, or read it with the jfr command.");

    private Descriptions() {
    }

    /** The line of a built-in endpoint, or null for one the index does not list (the index, symbol). */
    static String of(String name) {
        return BY_NAME.get(name);
    }
}
