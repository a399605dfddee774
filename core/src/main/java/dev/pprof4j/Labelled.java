package dev.pprof4j;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * One thread's labels: the current set, the enclosing sets to go back to,
 * and while CPU profiles record, when each set began.
 * The history is bounded; samples older than it get the oldest set it knows.
 */
final class Labelled {

    private static final int MAX_CHANGES = 1024;

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
            if (changes.size() == MAX_CHANGES) {
                changes.removeFirst();
            }
            changes.addLast(new Change(StackProfile.nowNanos(), labels, next));
        }
        labels = next;
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
