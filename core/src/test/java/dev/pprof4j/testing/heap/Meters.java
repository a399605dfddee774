package dev.pprof4j.testing.heap;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-object graphs, as a metrics registry keeps a meter: each registration
 * keeps a map entry, a record, two strings and a {@code long[4]}; lookups,
 * ten per registration, build the same strings and drop them.
 */
public final class Meters extends LeakShape {

    private static final int METERS = 150_000;
    private static final int LOOKUPS = 10;

    private record Meter(String name, String tags, long[] counts) {
    }

    private final String registerMeter = site("registerMeter");
    private final String lookUpMeter = site("lookUpMeter");
    private final Duration duration;
    private Map<String, Meter> registry = new HashMap<>();
    private volatile Object found;

    public Meters(Duration duration) {
        this.duration = duration;
    }

    @Override
    public String name() {
        return "meters";
    }

    @Override
    public List<String> leakSites() {
        return List.of(registerMeter);
    }

    @Override
    public List<String> garbageSites() {
        return List.of(lookUpMeter);
    }

    @Override
    public void run() throws Exception {
        serve(METERS, duration, request -> {
            measured(registerMeter, () -> registerMeter(request));
            for (int i = 0; i < LOOKUPS; i++) {
                int meter = request - i;
                measured(lookUpMeter, () -> lookUpMeter(meter));
            }
        });
    }

    private void registerMeter(int meter) {
        String name = "http.server.requests." + meter;
        Meter registered = new Meter(name, "uri=/api/items/" + meter, new long[4]);
        synchronized (this) {
            registry.put(name, registered);
        }
    }

    private void lookUpMeter(int meter) {
        String name = "http.server.requests." + meter;
        String tags = "uri=/api/items/" + meter;
        synchronized (this) {
            found = registry.get(name);
        }
        found = tags;
    }

    @Override
    public synchronized void release(String leakSite) {
        registry = new HashMap<>();
    }
}
