package dev.pprof4j;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one {@code heap} request costs at a given live heap: the time to
 * answer it, and the longest time an application thread is held up meanwhile
 * (a thread that wakes every millisecond and notes its longest gap), beside
 * {@code System.gc()} alone as the baseline, in the same run.
 * {@code request}: {@code gc} is {@code System.gc()}; {@code heap} a
 * snapshot without a collection; {@code heap-gc} what {@code heap?gc=1}
 * does (a full collection and the class histogram). docs/benchmarks.md has
 * the method and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 8)
@Fork(value = 2, jvmArgsAppend = {"-Xmx3g", "-Xms3g"})
public class HeapRequestBenchmark {

    @Param({"gc", "heap", "heap-gc"})
    public String request;

    /** Live heap the application holds, in MB, in 1 KiB arrays and small objects. */
    @Param({"100", "1000"})
    public int liveMegabytes;

    private final List<Object> live = new ArrayList<>();
    private HeapData sampler;
    private Thread application;
    private volatile boolean running;
    private volatile long longestGapNanos;
    private long longestGapOfRun;
    private long gcMillisBefore;
    private long mostGcMillis;

    @Setup(Level.Trial)
    public void start() {
        sampler = new HeapData(300, 64, PprofOptions.DEFAULT_MAX_STACKS);
        long bytes = liveMegabytes * 1024L * 1024;
        // Two shapes, so that the histogram has many objects as well as bytes.
        for (long held = 0; held < bytes; held += 1024 + 4 * 40) {
            live.add(new byte[1024]);
            live.add(List.of(new StringBuilder("entry-").append(held).toString(), held, new long[2]));
        }
        running = true;
        application = new Thread(() -> {
            long last = System.nanoTime();
            while (running) {
                LockSupport.parkNanos(1_000_000);
                long now = System.nanoTime();
                longestGapNanos = Math.max(longestGapNanos, now - last);
                last = now;
            }
        }, "application");
        application.setDaemon(true);
        application.start();
    }

    @Setup(Level.Invocation)
    public void resetGap() {
        longestGapNanos = 0;
        gcMillisBefore = gcMillis();
    }

    @TearDown(Level.Invocation)
    public void noteGap() {
        longestGapOfRun = Math.max(longestGapOfRun, longestGapNanos);
        mostGcMillis = Math.max(mostGcMillis, gcMillis() - gcMillisBefore);
    }

    @Benchmark
    public Object heapRequest() throws Exception {
        switch (request) {
            case "gc":
                System.gc();
                return null;
            case "heap":
                return sampler.snapshot(null, false);
            default:
                return sampler.snapshot(null, true);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        application.join();
        System.out.printf("%nlongest application stall in one request: %.1f ms; most GC time in one: %d ms"
                + " (%s, %d MB live)%n", longestGapOfRun / 1e6, mostGcMillis, request, liveMegabytes);
        sampler.close();
        live.clear();
    }

    private static long gcMillis() {
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += Math.max(0, collector.getCollectionTime());
        }
        return millis;
    }
}
