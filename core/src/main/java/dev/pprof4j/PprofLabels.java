package dev.pprof4j;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Labels on the work a thread does, carried by the samples of {@code profile},
 * {@code allocs} and {@code heap}, and shown on the threads of
 * {@code goroutine}: Go's {@code pprof.Do}. Label what a request does, and the
 * profiles can be cut by it ({@code go tool pprof -tagfocus=route=/checkout})
 * or broken down by it ({@code -tags}, {@code -tagroot=route}).
 *
 * <pre>{@code
 * PprofLabels.run(Map.of("route", "/checkout"), () -> checkout(cart));
 * }</pre>
 *
 * <p>The adapters label every request with its route already
 * ({@link RouteLabels}); labels set here are merged with those.
 *
 * <p>Scopes nest: inside, the labels are the enclosing ones with these
 * added or replaced. They belong to the thread that runs the task; work it
 * hands to other threads is not labelled, as in Go without a context. While
 * profiles sample (allocations are sampled as long as the handler lives), a
 * scope also leaves a timestamped entry in a small per-thread history:
 * samples arrive a second or so after they are taken and are matched to the
 * labels of their moment.
 *
 * <p>A thread carries at most {@value #MAX_LABELS} labels, the first by key
 * order; further keys are left out, because Pyroscope rejects a whole profile
 * with a sample of more. Keys and values must not be null.
 */
public final class PprofLabels {

    private static final ThreadLocal<Labelled> CURRENT = new ThreadLocal<>();
    private static final Map<Long, Labelled> BY_THREAD = new ConcurrentHashMap<>();
    /** Profilers sampling: label changes are kept with their times while there are any. */
    private static final AtomicInteger RECORDERS = new AtomicInteger();
    static final int MAX_LABELS = 100;
    /**
     * Threads with a history beyond which sweeps keep only {@link Labelled#KEPT_NANOS_UNDER_PRESSURE}, and a
     * thread that leaves its last scope is dropped at once, its samples still on their way unlabelled: a
     * virtual thread per request leaves one entry per request until its history expires.
     */
    static final int MAX_THREADS_KEPT = 32_768;

    private PprofLabels() {
    }

    /**
     * Labels added to a thread's until closed, for code whose start and end are two calls (a filter's
     * before and after, an interceptor's): {@link #run} where it fits. Closing goes back to the labels the
     * scope replaced, leaving any scope opened inside it too; closing again, or on another thread once
     * the work moved there, is allowed.
     */
    public static final class Scope implements AutoCloseable {
        private final Labelled labelled;
        private final long threadId;
        private final long scope;

        private Scope(Labelled labelled, long threadId, long scope) {
            this.labelled = labelled;
            this.threadId = threadId;
            this.scope = scope;
        }

        @Override
        public void close() {
            leave(labelled, threadId, scope);
        }
    }

    /** Runs {@code task} with {@code labels} added to the current thread's. */
    public static void run(Map<String, String> labels, Runnable task) {
        Objects.requireNonNull(task, "task");
        try (Scope ignored = open(labels)) {
            task.run();
        }
    }

    /** Calls {@code task} with {@code labels} added to the current thread's, and returns its result. */
    public static <T> T call(Map<String, String> labels, Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        try (Scope ignored = open(labels)) {
            return task.call();
        }
    }

    /** Adds {@code labels} to the current thread's until the scope returned is closed. */
    public static Scope open(Map<String, String> labels) {
        Labelled labelled = CURRENT.get();
        if (labelled == null) {
            labelled = new Labelled(Thread.currentThread());
            CURRENT.set(labelled);
        }
        Map<String, String> enclosing = labelled.labels();
        // A request's route labels on an unlabelled thread are the labels as given, already immutable.
        Map<String, String> next = enclosing.isEmpty() && labels.size() <= MAX_LABELS ? Map.copyOf(labels)
                : merged(enclosing, labels);
        long threadId = Thread.currentThread().getId();
        long scope = labelled.enter(next, recording());
        // After entering: a sweep from now on sees the new labels and keeps the thread; one that dropped it
        // before has marked it so, and this put waits until that removal is done.
        if (labelled.register()) {
            BY_THREAD.put(threadId, labelled);
        }
        return new Scope(labelled, threadId, scope);
    }

    /** The current thread's labels; empty outside any scope. */
    public static Map<String, String> current() {
        Labelled labelled = CURRENT.get();
        return labelled == null ? Map.of() : labelled.labels();
    }

    /** Thread {@code threadId}'s labels now. */
    static Map<String, String> of(long threadId) {
        Labelled labelled = BY_THREAD.get(threadId);
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

    /** A profiler starts sampling: from now on, label changes are kept with their times. */
    static void startRecording() {
        RECORDERS.incrementAndGet();
    }

    /** A profiler stops; with the last one, the histories are dropped. */
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
     * (a thread per request would otherwise leave an entry per request);
     * past {@link #MAX_THREADS_KEPT} threads, changes older than
     * {@link Labelled#KEPT_NANOS_UNDER_PRESSURE}.
     */
    static void sweep() {
        sweep(StackProfile.nowNanos() - (BY_THREAD.size() > MAX_THREADS_KEPT ? Labelled.KEPT_NANOS_UNDER_PRESSURE
                : Labelled.KEPT_NANOS));
    }

    static void sweep(long cutoff) {
        for (Long thread : BY_THREAD.keySet()) {
            BY_THREAD.computeIfPresent(thread, (id, labelled) -> labelled.prune(cutoff) ? null : labelled);
        }
    }

    private static boolean recording() {
        return RECORDERS.get() > 0;
    }

    private static Map<String, String> merged(Map<String, String> enclosing, Map<String, String> labels) {
        Map<String, String> merged = new HashMap<>(enclosing);
        labels.forEach((key, value) -> merged.put(Objects.requireNonNull(key, "label key"),
                Objects.requireNonNull(value, "label value")));
        if (merged.size() > MAX_LABELS) {
            TreeMap<String, String> byKey = new TreeMap<>(merged);
            while (byKey.size() > MAX_LABELS) {
                byKey.pollLastEntry();
            }
            return Map.copyOf(byKey);
        }
        return Map.copyOf(merged);
    }

    private static void leave(Labelled labelled, long threadId, long scope) {
        boolean recording = recording();
        labelled.leave(scope, recording);
        if (labelled.labels().isEmpty() && (!recording || BY_THREAD.size() > MAX_THREADS_KEPT)) {
            BY_THREAD.computeIfPresent(threadId, (id, kept) -> kept == labelled && labelled.dropIfIdle(false) ? null
                    : kept);
        }
    }
}
