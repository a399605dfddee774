package dev.pprof4j;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * One thread's labels: the current set, the enclosing sets to go back to,
 * and while CPU profiles record, when each set began. The history keeps the
 * last {@link #KEPT_NANOS} (samples reach pprof4j a second or two after
 * they are taken) and at most {@link #MAX_CHANGES} changes; a sample older
 * than it gets the oldest set it knows.
 */
final class Labelled {

    static final long KEPT_NANOS = 10_000_000_000L;
    private static final int MAX_CHANGES = 8192;

    private final ArrayDeque<Map<String, String>> enclosing = new ArrayDeque<>();
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private Map<String, String> labels = Map.of();

    private record Change(long epochNanos, Map<String, String> before, Map<String, String> after) {
    }

    synchronized Map<String, String> labels() {
        return labels;
    }

    synchronized void change(Map<String, String> next, boolean record) {
        enclosing.push(labels);
        set(next, record);
    }

    synchronized void restore(boolean record) {
        set(enclosing.isEmpty() ? Map.of() : enclosing.pop(), record);
    }

    private void set(Map<String, String> next, boolean record) {
        if (record) {
            long now = StackProfile.nowNanos();
            drop(now - KEPT_NANOS);
            if (changes.size() == MAX_CHANGES) {
                changes.removeFirst();
            }
            changes.addLast(new Change(now, labels, next));
        }
        labels = next;
    }

    private void drop(long cutoff) {
        while (!changes.isEmpty() && changes.peekFirst().epochNanos() < cutoff) {
            changes.removeFirst();
        }
    }

    /** Drops changes before {@code cutoff}; true if nothing is left worth keeping. */
    synchronized boolean prune(long cutoff) {
        drop(cutoff);
        return changes.isEmpty() && labels.isEmpty();
    }

    /** The labels at a moment: those set by the last change before it. */
    synchronized Map<String, String> at(long epochNanos) {
        Map<String, String> result = labels;
        var newestFirst = changes.descendingIterator();
        while (newestFirst.hasNext()) {
            Change change = newestFirst.next();
            if (change.epochNanos() <= epochNanos) {
                return change.after();
            }
            result = change.before();
        }
        return result;
    }

    /** Drops the history; true if nothing is left worth keeping (no labels now). */
    synchronized boolean forget() {
        changes.clear();
        return labels.isEmpty();
    }
}
