package dev.pprof4j.testing.heap;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A slow leak at steady traffic: {@value #REQUESTS_PER_SECOND} requests a
 * second, each remembering one small {@code byte[]} per client forever and
 * rendering sixteen responses it drops, for as long as it is given.
 */
public final class SlowLeak extends LeakShape {

    private static final int REQUESTS_PER_SECOND = 250;
    private static final int RESPONSES = 16;

    private final String rememberClient = site("rememberClient");
    private final String renderResponse = site("renderResponse");
    private final Duration duration;
    private List<byte[]> clients = new ArrayList<>();
    private volatile Object response;

    public SlowLeak(Duration duration) {
        this.duration = duration;
    }

    @Override
    public String name() {
        return "slow-leak";
    }

    @Override
    public List<String> leakSites() {
        return List.of(rememberClient);
    }

    @Override
    public List<String> garbageSites() {
        return List.of(renderResponse);
    }

    @Override
    public void run() throws Exception {
        serve((int) (duration.toSeconds() * REQUESTS_PER_SECOND), duration, request -> {
            measured(rememberClient, () -> rememberClient(request));
            for (int i = 0; i < RESPONSES; i++) {
                int object = request * RESPONSES + i;
                measured(renderResponse, () -> renderResponse(object));
            }
        });
    }

    private void rememberClient(int request) {
        byte[] client = new byte[size(request)];
        synchronized (this) {
            clients.add(client);
        }
    }

    private void renderResponse(int object) {
        response = new byte[size(object)];
    }

    @Override
    public synchronized void release(String leakSite) {
        clients = new ArrayList<>();
    }
}
