package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * What {@code goroutine} costs with many parked virtual threads (JDK 21 and
 * later): for each count given, that many virtual threads park in one
 * method, then each form of the profile is asked for several times, answered
 * on this thread as an adapter would. Per form: the time to answer, what the
 * answering thread allocated, the body's size, and the longest stall of an
 * application thread that wakes every millisecond. The first count is the
 * baseline of the same run (0: platform threads only).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pprof4j.VirtualThreadDumpCost [requests [count ...]]
 * </pre>
 */
public final class VirtualThreadDumpCost {

    private static final List<String> FORMS = List.of("/goroutine", "/goroutine?debug=1", "/goroutine?debug=2");
    private static volatile long longestGapNanos;
    private static volatile boolean stop;

    private VirtualThreadDumpCost() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] counts = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {0, 10_000, 100_000};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread ticker = new Thread(VirtualThreadDumpCost::tick, "application-ticker");
        ticker.setDaemon(true);
        ticker.start();
        System.out.printf("java %s, %d requests per form%n", System.getProperty("java.version"), requests);
        System.out.println("| virtual threads | request | time, median (max) | allocated by the answering thread, median"
                + " | body | longest application stall |");
        System.out.println("|---|---|---|---|---|---|");
        try (PprofHandler handler = new PprofHandler()) {
            handler.awaitSampling(Duration.ofSeconds(10));
            for (int count : counts) {
                CountDownLatch release = new CountDownLatch(1);
                ExecutorService parked = park(count, release);
                for (String form : FORMS) {
                    RequestCost.answer(handler, form);
                    long[] millis = new long[requests];
                    long[] allocated = new long[requests];
                    long body = 0;
                    longestGapNanos = 0;
                    for (int i = 0; i < requests; i++) {
                        long before = threads.getCurrentThreadAllocatedBytes();
                        long start = System.nanoTime();
                        RequestCost.Answer answer = RequestCost.answer(handler, form);
                        millis[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        allocated[i] = threads.getCurrentThreadAllocatedBytes() - before;
                        body = answer.body().length;
                        if (answer.status() != 200) {
                            throw new IllegalStateException(form + ": status " + answer.status());
                        }
                    }
                    Arrays.sort(millis);
                    Arrays.sort(allocated);
                    System.out.printf(Locale.ROOT, "| %,d | `%s` | %d ms (%d) | %.1f MB | %,d KB | %.1f ms |%n",
                            count, form.substring(1), millis[requests / 2], millis[requests - 1],
                            allocated[requests / 2] / 1e6, body / 1024, longestGapNanos / 1e6);
                }
                release.countDown();
                parked.shutdown();
                parked.awaitTermination(1, TimeUnit.MINUTES);
            }
        } finally {
            stop = true;
        }
    }

    /** {@code count} virtual threads parked until {@code release}; reached reflectively, the build targets 17. */
    private static ExecutorService park(int count, CountDownLatch release) throws Exception {
        ExecutorService executor = (ExecutorService) Executors.class
                .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        CountDownLatch started = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            executor.execute(() -> {
                started.countDown();
                waitForRelease(release);
            });
        }
        started.await();
        Thread.sleep(500);
        return executor;
    }

    private static void waitForRelease(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void tick() {
        long last = System.nanoTime();
        while (!stop) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            longestGapNanos = Math.max(longestGapNanos, now - last);
            last = now;
        }
    }
}
