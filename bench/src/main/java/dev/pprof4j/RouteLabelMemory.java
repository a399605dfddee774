package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * What the route labels keep in memory while allocations are sampled (the
 * default): each thread's label history covers the last 10 seconds, at most
 * {@link Labelled#MAX_CHANGES} changes, and is swept once a second, as the
 * allocation sampler does. Two servers' shapes, each for {@code seconds} at
 * full speed: a pool of 200 platform threads, and a new virtual thread per
 * request (JDK 21+). Reports what the heap after a full collection grew by,
 * and the threads whose labels are kept.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pprof4j.RouteLabelMemory [seconds]
 * </pre>
 */
public final class RouteLabelMemory {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private RouteLabelMemory() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        PprofLabels.startRecording();
        try {
            measure("200 platform threads", Executors.newFixedThreadPool(200), seconds);
            if (Runtime.version().feature() >= 21) {
                measure("a virtual thread per request",
                        (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null),
                        seconds);
            }
        } finally {
            PprofLabels.stopRecording();
        }
    }

    private static void measure(String shape, ExecutorService requests, int seconds) throws Exception {
        long before = heapAfterCollection();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long served = 0;
        long nextSweep = System.nanoTime();
        while (System.nanoTime() < deadline) {
            if (System.nanoTime() >= nextSweep) {
                // As the allocation sampler does after each of JFR's deliveries, about once a second.
                PprofLabels.sweep();
                nextSweep += TimeUnit.SECONDS.toNanos(1);
            }
            List<Future<?>> batch = new ArrayList<>(1000);
            for (int i = 0; i < 1000; i++) {
                batch.add(requests.submit(() -> {
                    try (PprofLabels.Scope request = RouteLabels.open("GET", "/orders/{id}")) {
                        return PprofLabels.current().size();
                    }
                }));
            }
            for (Future<?> request : batch) {
                request.get();
            }
            served += batch.size();
        }
        long kept = heapAfterCollection() - before;
        System.out.printf(Locale.ROOT, "%s: %,d requests in %d s; labels of %,d threads kept, %.1f MB retained%n",
                shape, served, seconds, PprofLabels.threadsKept(), kept / 1e6);
        requests.shutdown();
        requests.awaitTermination(1, TimeUnit.MINUTES);
        PprofLabels.sweep(Long.MAX_VALUE);
    }

    private static long heapAfterCollection() {
        System.gc();
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
