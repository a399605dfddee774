package dev.pprof4j.testing.heap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Two leaks in a known ratio: each request keeps three orders and one audit
 * entry, {@code byte[]} of the same sizes, and renders four receipts it drops.
 */
public final class TwoLeaks extends LeakShape {

    private static final long LEAK_BYTES = 64L << 20;
    private static final int ORDERS = 3;
    private static final int RECEIPTS = 4;

    private final String keepOrder = site("keepOrder");
    private final String keepAuditEntry = site("keepAuditEntry");
    private final String renderReceipt = site("renderReceipt");
    private final Duration duration;
    private List<byte[]> orders = new ArrayList<>();
    private List<byte[]> auditLog = new ArrayList<>();
    private volatile Object receipt;

    public TwoLeaks(Duration duration) {
        this.duration = duration;
    }

    @Override
    public String name() {
        return "two-leaks";
    }

    @Override
    public List<String> leakSites() {
        return List.of(keepOrder, keepAuditEntry);
    }

    @Override
    public List<String> garbageSites() {
        return List.of(renderReceipt);
    }

    @Override
    public void run() throws Exception {
        serve((int) (LEAK_BYTES / (ORDERS + 1) / ((256 + 4096) / 2)), duration, request -> {
            for (int i = 0; i < ORDERS; i++) {
                int object = request * ORDERS + i;
                measured(keepOrder, () -> keepOrder(object));
            }
            measured(keepAuditEntry, () -> keepAuditEntry(request));
            for (int i = 0; i < RECEIPTS; i++) {
                int object = request * RECEIPTS + i;
                measured(renderReceipt, () -> renderReceipt(object));
            }
        });
    }

    private void keepOrder(int object) {
        byte[] order = new byte[size(object)];
        synchronized (this) {
            orders.add(order);
        }
    }

    private void keepAuditEntry(int object) {
        byte[] entry = new byte[size(object)];
        synchronized (this) {
            auditLog.add(entry);
        }
    }

    private void renderReceipt(int object) {
        receipt = new byte[size(object)];
    }

    @Override
    public synchronized void release(String leakSite) {
        if (leakSite.equals(keepOrder)) {
            orders = new ArrayList<>();
        } else {
            auditLog = new ArrayList<>();
        }
    }
}
