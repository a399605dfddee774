package dev.pprof4j.testing.heap;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntConsumer;

/**
 * A workload that leaks in one shape: it serves requests on request threads it
 * owns, keeps what its leak sites allocate until {@linkplain #release released},
 * and counts, with the JVM's exact per-thread counters, the bytes each of its
 * sites allocated.
 *
 * <p>The threads stay alive until {@link #close}: the profile is read while they
 * live, as a server's pooled threads would.
 */
public abstract class LeakShape implements AutoCloseable {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int REQUEST_THREADS = 2;
    private static final int BURSTS_PER_SECOND = 20;

    private final ExecutorService requestThreads;
    private final Map<String, LongAdder> allocated = new ConcurrentHashMap<>();

    protected LeakShape() {
        AtomicInteger number = new AtomicInteger();
        requestThreads = Executors.newFixedThreadPool(REQUEST_THREADS, work -> {
            Thread thread = new Thread(work, "pprof4j-" + name() + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** A short name, for tables. */
    public abstract String name();

    /** The functions (as {@code Class.method}) whose allocations are kept until released. */
    public abstract List<String> leakSites();

    /** The functions that allocate only garbage. */
    public abstract List<String> garbageSites();

    /** Runs the whole workload on the request threads and returns when it is done. */
    public abstract void run() throws Exception;

    /** Drops what one leak site keeps. */
    public abstract void release(String leakSite);

    /** A {@code go tool pprof -focus} expression that matches this shape's own code and nothing else. */
    public String focus() {
        return "^" + getClass().getName().replace(".", "\\.") + "[.$]";
    }

    /** Every site, leaks first. */
    public final List<String> sites() {
        List<String> sites = new ArrayList<>(leakSites());
        sites.addAll(garbageSites());
        return sites;
    }

    /** What each site allocated, as the JVM counted it on the allocating thread. */
    public final Map<String, Long> allocatedBytes() {
        Map<String, Long> bytes = new TreeMap<>();
        for (String site : sites()) {
            LongAdder counter = allocated.get(site);
            bytes.put(site, counter == null ? 0 : counter.sum());
        }
        return bytes;
    }

    /** The function name pprof shows for a method of this shape. */
    protected final String site(String method) {
        return getClass().getName() + "." + method;
    }

    /** The size of the {@code i}th object of a site: 256 to 4096 bytes, spread evenly. */
    protected static int size(int i) {
        return 256 + (int) ((i * 2654435761L) % 3841);
    }

    /** Runs one call of a site on the current thread, counting what it allocates. */
    protected final void measured(String site, Runnable call) {
        LongAdder counter = allocated.computeIfAbsent(site, s -> new LongAdder());
        long before = THREADS.getCurrentThreadAllocatedBytes();
        call.run();
        long after = THREADS.getCurrentThreadAllocatedBytes();
        counter.add(after - before);
    }

    /**
     * Serves {@code requests} requests at a steady rate over {@code duration}, in bursts
     * shared by the request threads, as a server's pool would.
     */
    protected final void serve(int requests, Duration duration, IntConsumer request) throws Exception {
        int bursts = (int) Math.max(1, duration.toMillis() * BURSTS_PER_SECOND / 1000);
        long start = System.nanoTime();
        int served = 0;
        for (int burst = 1; burst <= bursts; burst++) {
            int end = (int) ((long) requests * burst / bursts);
            List<Future<?>> inFlight = new ArrayList<>();
            for (int thread = 0; thread < REQUEST_THREADS; thread++) {
                int from = served + (end - served) * thread / REQUEST_THREADS;
                int to = served + (end - served) * (thread + 1) / REQUEST_THREADS;
                inFlight.add(requestThreads.submit(() -> {
                    for (int i = from; i < to; i++) {
                        request.accept(i);
                    }
                }));
            }
            for (Future<?> future : inFlight) {
                future.get();
            }
            served = end;
            long due = start + duration.toNanos() * burst / bursts;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (String leak : leakSites()) {
            release(leak);
        }
        requestThreads.shutdown();
        if (!requestThreads.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name() + ": request threads did not stop");
        }
    }
}
