package dev.pprof4j.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;

/**
 * What pprof4j is doing in this JVM, seen from outside: which threads wait
 * out a CPU profile, which JFR events are on. For tests that a profile holds
 * no server thread and that closing a handler ends its sampling.
 */
public final class ProfilingState {

    /** JFR's events for CPU samples, one of which a CPU profile turns on. */
    public static final List<String> CPU_EVENTS = List.of("jdk.CPUTimeSample", "jdk.ExecutionSample");
    /** JFR's allocation samples, on while a handler samples the heap. */
    public static final List<String> ALLOCATION_EVENTS = List.of("jdk.ObjectAllocationSample");

    private ProfilingState() {
    }

    /** Names of the threads waiting out a timed profile's window: a CPU profile's, or a {@code seconds=N} delta's. */
    public static List<String> profilingThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().equals("dev.pprof4j.WindowedProfileBody")
                                && frame.getMethodName().equals("write")))
                .map(Map.Entry::getKey).map(Thread::getName).toList();
    }

    /**
     * pprof4j's threads that are doing something: all but its pool's idle
     * workers, which wait in the pool for work.
     */
    public static List<String> busyPprofThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> thread.getKey().getName().startsWith("pprof4j"))
                .filter(thread -> Arrays.stream(thread.getValue())
                        .noneMatch(frame -> frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                                && frame.getMethodName().equals("getTask")))
                .map(Map.Entry::getKey).map(Thread::getName).toList();
    }

    /** The names of this JVM's JFR recordings that are not closed, pprof4j's and others'. */
    public static List<String> recordings() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream()
                .map(recording -> recording.getName() + " (" + recording.getState() + ")").toList();
    }

    /** Whether a JFR recording of this JVM has any of these events enabled. */
    public static boolean anyEnabled(List<String> events) {
        for (Recording recording : FlightRecorder.getFlightRecorder().getRecordings()) {
            for (String event : events) {
                if ("true".equals(recording.getSettings().get(event + "#enabled"))) {
                    return true;
                }
            }
        }
        return false;
    }
}
