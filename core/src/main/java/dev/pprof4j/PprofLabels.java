package dev.pprof4j;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Labels on the work a thread does, carried by the CPU profile's samples:
 * Go's {@code pprof.Do}. Label what a request does, and the profile can be
 * cut by it ({@code go tool pprof -tagfocus=route=/checkout}) or broken down
 * by it ({@code -tags}, {@code -tagroot=route}).
 *
 * <pre>{@code
 * PprofLabels.run(Map.of("route", "/checkout"), () -> checkout(cart));
 * }</pre>
 *
 * <p>Scopes nest: inside, the labels are the enclosing ones with these
 * added or replaced. They belong to the thread that runs the task; work it
 * hands to other threads is not labelled, as in Go without a context. A
 * scope costs a map merge and, while a CPU profile records, a timestamped
 * entry in a small per-thread history (CPU samples arrive a second or so
 * after they are taken and are matched to the labels of their moment).
 *
 * <p>A thread carries at most {@value #MAX_LABELS} labels, the first by key
 * order; further keys are left out, because Pyroscope rejects a whole profile
 * with a sample of more.
 */
public final class PprofLabels {

    private static final ThreadLocal<Labelled> CURRENT = new ThreadLocal<>();
    private static final Map<Long, Labelled> BY_THREAD = new ConcurrentHashMap<>();
    /** CPU profilers recording: label changes are kept with their times while there are any. */
    private static final AtomicInteger RECORDERS = new AtomicInteger();
    static final int MAX_LABELS = 100;

    private PprofLabels() {
    }

    /** Runs {@code task} with {@code labels} added to the current thread's. */
    public static void run(Map<String, String> labels, Runnable task) {
        Objects.requireNonNull(task, "task");
        Labelled labelled = enter(labels);
        try {
            task.run();
        } finally {
            exit(labelled);
        }
    }

    /** Calls {@code task} with {@code labels} added to the current thread's, and returns its result. */
    public static <T> T call(Map<String, String> labels, Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        Labelled labelled = enter(labels);
        try {
            return task.call();
        } finally {
            exit(labelled);
        }
    }

    /** The current thread's labels; empty outside any scope. */
    public static Map<String, String> current() {
        Labelled labelled = CURRENT.get();
        return labelled == null ? Map.of() : labelled.labels();
    }

    /** The labels thread {@code threadId} had at {@code epochNanos}, as far as the history reaches. */
    static Map<String, String> of(long threadId, long epochNanos) {
        Labelled labelled = BY_THREAD.get(threadId);
        return labelled == null ? Map.of() : labelled.at(epochNanos);
    }

    /** How many threads' labels are kept. */
    static int threadsKept() {
        return BY_THREAD.size();
    }

    /** A CPU profiler starts recording: from now on, label changes are kept with their times. */
    static void startRecording() {
        RECORDERS.incrementAndGet();
    }

    /** A CPU profiler stops; with the last one, the histories are dropped. */
    static void stopRecording() {
        if (RECORDERS.decrementAndGet() == 0) {
            for (Long thread : BY_THREAD.keySet()) {
                BY_THREAD.computeIfPresent(thread, (id, labelled) -> labelled.forget() ? null : labelled);
            }
        }
    }

    /**
     * Drops what no sample still on its way can need: changes older than
     * {@link Labelled#KEPT_NANOS}, and threads without labels since then
     * (a thread per request would otherwise leave an entry per request).
     */
    static void sweep() {
        sweep(StackProfile.nowNanos() - Labelled.KEPT_NANOS);
    }

    static void sweep(long cutoff) {
        for (Long thread : BY_THREAD.keySet()) {
            BY_THREAD.computeIfPresent(thread, (id, labelled) -> labelled.prune(cutoff) ? null : labelled);
        }
    }

    private static boolean recording() {
        return RECORDERS.get() > 0;
    }

    private static Labelled enter(Map<String, String> labels) {
        TreeMap<String, String> merged = new TreeMap<>(current());
        labels.forEach((key, value) -> merged.put(Objects.requireNonNull(key, "label key"),
                Objects.requireNonNull(value, "label value")));
        while (merged.size() > MAX_LABELS) {
            merged.pollLastEntry();
        }
        Labelled current = CURRENT.get();
        Labelled labelled = current == null ? new Labelled() : current;
        if (current == null) {
            CURRENT.set(labelled);
        }
        Map<String, String> next = Map.copyOf(merged);
        // Registered again each time, in one step with the change: a sweep may have dropped the thread meanwhile.
        BY_THREAD.compute(Thread.currentThread().getId(), (id, registered) -> {
            labelled.change(next, recording());
            return labelled;
        });
        return labelled;
    }

    private static void exit(Labelled labelled) {
        labelled.restore(recording());
        if (labelled.labels().isEmpty() && !recording()) {
            CURRENT.remove();
            BY_THREAD.remove(Thread.currentThread().getId(), labelled);
        }
    }
}
