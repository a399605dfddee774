package dev.pprof4j;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * One thread's labels: the current set, the scopes entered and the sets to
 * go back to when each is left, and while profiles sample, when each set
 * began. The history keeps the last {@link #KEPT_NANOS} (samples reach
 * pprof4j a second or two after they are taken) and at most
 * {@link #MAX_CHANGES} changes, in two arrays rather than an object per
 * change (12 bytes a change); a sample older than it gets the oldest set it
 * knows.
 */
final class Labelled {

    static final long KEPT_NANOS = 10_000_000_000L;
    /** How long histories are kept while more than {@link PprofLabels#MAX_THREADS_KEPT} threads have one. */
    static final long KEPT_NANOS_UNDER_PRESSURE = 2_000_000_000L;
    static final int MAX_CHANGES = 4096;

    /** A scope entered and not yet left: its number and the labels it replaced. */
    private record Entered(long scope, Map<String, String> before) {
    }

    private final ArrayDeque<Entered> entered = new ArrayDeque<>(4);
    /** The thread, to drop its labels once it has ended, even inside a scope it never left. */
    private final WeakReference<Thread> thread;
    private long scopes;
    /** Written under the lock, read without it: a request's labels are read far more often than set. */
    private volatile Map<String, String> labels = Map.of();
    /**
     * Whether {@link PprofLabels} finds this thread's labels: false until first entered, and once dropped as
     * idle, so that the next scope registers it again. Set false only with the lock held, as the thread is
     * dropped; a scope entered after that sees it false.
     */
    private volatile boolean registered;
    /** The history, a ring: change i began at {@code times[i]} and set {@code sets[i]}. */
    private long[] times = new long[0];
    private Object[] sets = new Object[0];
    private int oldest;
    private int changes;
    /** The labels before the oldest change kept. */
    private Map<String, String> beforeOldest = Map.of();

    Labelled(Thread thread) {
        this.thread = new WeakReference<>(thread);
    }

    Map<String, String> labels() {
        return labels;
    }

    /** True once, after this thread was dropped (or never registered): the caller registers it again. */
    boolean register() {
        if (registered) {
            return false;
        }
        registered = true;
        return true;
    }

    /** Drops the thread if it keeps nothing: no labels (or it has ended), and no history while profiles sample. */
    synchronized boolean dropIfIdle(boolean recording) {
        Thread owner = thread.get();
        // A thread that ended inside a scope keeps labels no one will leave; its history still serves.
        boolean ended = owner == null || !owner.isAlive();
        if ((!ended && !labels.isEmpty()) || (recording && changes > 0)) {
            return false;
        }
        registered = false;
        return true;
    }

    /** Enters a scope with labels {@code next}; returns the scope's number, for {@link #leave}. */
    synchronized long enter(Map<String, String> next, boolean record) {
        entered.push(new Entered(++scopes, labels));
        set(next, record);
        return scopes;
    }

    /**
     * Leaves scope {@code scope}, and any scope entered inside it and not left, going back to the labels
     * it replaced; nothing if it was left already.
     */
    synchronized void leave(long scope, boolean record) {
        boolean open = false;
        for (Entered each : entered) {
            open |= each.scope() == scope;
        }
        if (!open) {
            return;
        }
        Entered left;
        do {
            left = entered.pop();
        } while (left.scope() != scope);
        set(left.before(), record);
    }

    private void set(Map<String, String> next, boolean record) {
        if (record) {
            long now = StackProfile.nowNanos();
            drop(now - KEPT_NANOS);
            if (changes == MAX_CHANGES) {
                dropOldest();
            }
            if (changes == 0) {
                beforeOldest = labels;
            }
            if (changes == times.length) {
                grow();
            }
            int slot = (oldest + changes) % times.length;
            times[slot] = now;
            sets[slot] = next;
            changes++;
        }
        labels = next;
    }

    private void grow() {
        int capacity = Math.min(MAX_CHANGES, Math.max(4, times.length * 2));
        long[] grownTimes = new long[capacity];
        Object[] grownSets = new Object[capacity];
        for (int i = 0; i < changes; i++) {
            grownTimes[i] = times[(oldest + i) % times.length];
            grownSets[i] = sets[(oldest + i) % times.length];
        }
        times = grownTimes;
        sets = grownSets;
        oldest = 0;
    }

    private void drop(long cutoff) {
        while (changes > 0 && times[oldest] < cutoff) {
            dropOldest();
        }
    }

    @SuppressWarnings("unchecked")
    private void dropOldest() {
        beforeOldest = (Map<String, String>) sets[oldest];
        sets[oldest] = null;
        oldest = (oldest + 1) % times.length;
        changes--;
    }

    /** Drops changes before {@code cutoff}; true if nothing is left worth keeping, and the thread is dropped. */
    synchronized boolean prune(long cutoff) {
        drop(cutoff);
        if (changes == 0 && times.length > 4) {
            times = new long[0];
            sets = new Object[0];
            oldest = 0;
        }
        return dropIfIdle(true);
    }

    /** The labels at a moment: those set by the last change before it. */
    @SuppressWarnings("unchecked")
    synchronized Map<String, String> at(long epochNanos) {
        for (int i = changes - 1; i >= 0; i--) {
            int slot = (oldest + i) % times.length;
            if (times[slot] <= epochNanos) {
                return (Map<String, String>) sets[slot];
            }
        }
        return changes == 0 ? labels : beforeOldest;
    }

    /** Drops the history; true if nothing is left worth keeping (no labels now), and the thread is dropped. */
    synchronized boolean forget() {
        times = new long[0];
        sets = new Object[0];
        oldest = 0;
        changes = 0;
        return dropIfIdle(false);
    }
}
