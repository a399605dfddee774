package dev.pprof4j.testing.heap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The leak beside same-class sibling garbage: one dispatcher calls the leak,
 * which keeps a {@code byte[]} per request, and its sibling, which makes ten
 * {@code byte[]} of the same sizes per request and drops them.
 */
public final class SiblingGarbage extends LeakShape {

    private static final long LEAK_BYTES = 64L << 20;
    private static final int SIBLING_CALLS = 10;

    private final String keepSession = site("keepSession");
    private final String renderPage = site("renderPage");
    private final Duration duration;
    private List<byte[]> sessions = new ArrayList<>();
    private volatile Object page;

    public SiblingGarbage(Duration duration) {
        this.duration = duration;
    }

    @Override
    public String name() {
        return "sibling-garbage";
    }

    @Override
    public List<String> leakSites() {
        return List.of(keepSession);
    }

    @Override
    public List<String> garbageSites() {
        return List.of(renderPage);
    }

    @Override
    public void run() throws Exception {
        serve((int) (LEAK_BYTES / ((256 + 4096) / 2)), duration, this::dispatch);
    }

    private void dispatch(int request) {
        measured(keepSession, () -> keepSession(request));
        for (int i = 0; i < SIBLING_CALLS; i++) {
            int object = request * SIBLING_CALLS + i;
            measured(renderPage, () -> renderPage(object));
        }
    }

    private void keepSession(int request) {
        byte[] session = new byte[size(request)];
        synchronized (this) {
            sessions.add(session);
        }
    }

    private void renderPage(int object) {
        page = new byte[size(object)];
    }

    @Override
    public synchronized void release(String leakSite) {
        sessions = new ArrayList<>();
    }
}
