package dev.pprof4j.testing.heap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keep and discard through one shared helper: both sites allocate only through
 * {@link #newBuffer}, so the allocating frame is the same; one caller keeps the
 * buffer, the other, called five times as often, drops it.
 */
public final class SharedHelper extends LeakShape {

    private static final long LEAK_BYTES = 64L << 20;
    private static final int DISCARD_CALLS = 5;

    private final String keepRecord = site("keepRecord");
    private final String discardRecord = site("discardRecord");
    private final Duration duration;
    private List<long[]> records = new ArrayList<>();
    private volatile Object discarded;

    public SharedHelper(Duration duration) {
        this.duration = duration;
    }

    @Override
    public String name() {
        return "shared-helper";
    }

    @Override
    public List<String> leakSites() {
        return List.of(keepRecord);
    }

    @Override
    public List<String> garbageSites() {
        return List.of(discardRecord);
    }

    @Override
    public void run() throws Exception {
        serve((int) (LEAK_BYTES / ((256 + 4096) / 2)), duration, request -> {
            measured(keepRecord, () -> keepRecord(request));
            for (int i = 0; i < DISCARD_CALLS; i++) {
                int object = request * DISCARD_CALLS + i;
                measured(discardRecord, () -> discardRecord(object));
            }
        });
    }

    private void keepRecord(int request) {
        long[] record = newBuffer(size(request));
        synchronized (this) {
            records.add(record);
        }
    }

    private void discardRecord(int object) {
        discarded = newBuffer(size(object));
    }

    private static long[] newBuffer(int bytes) {
        return new long[bytes / Long.BYTES];
    }

    @Override
    public synchronized void release(String leakSite) {
        records = new ArrayList<>();
    }
}
