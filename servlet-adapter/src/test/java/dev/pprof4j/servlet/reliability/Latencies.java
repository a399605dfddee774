package dev.pprof4j.servlet.reliability;

import java.util.Arrays;
import java.util.Locale;

/** Response times of one phase: percentiles by nearest rank, in milliseconds. */
record Latencies(long[] sortedNanos) {

    static Latencies of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    int count() {
        return sortedNanos.length;
    }

    double percentileMillis(double percentile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100 * sortedNanos.length);
        return sortedNanos[Math.max(0, rank - 1)] / 1e6;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms (%d requests)",
                percentileMillis(50), percentileMillis(90), percentileMillis(99), percentileMillis(100), count());
    }
}
