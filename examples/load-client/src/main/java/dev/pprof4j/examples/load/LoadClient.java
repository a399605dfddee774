package dev.pprof4j.examples.load;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded HTTP load: GETs one URL at a steady rate for a fixed time, each
 * request with its own {@code X-Request-Id} (as proxies and tracing libraries
 * add), prints progress every few seconds and stops by itself. At most
 * {@value #MAX_IN_FLIGHT} requests wait at once: a server that falls behind
 * gets fewer, not a pile.
 *
 * <pre>java -jar load-client.jar [--url http://127.0.0.1:8080/] [--rate 200] [--duration 60s]</pre>
 */
public final class LoadClient {

    private static final int MAX_IN_FLIGHT = 64;
    private static final long TICK_MILLIS = 10;
    private static final long PROGRESS_MILLIS = 5_000;

    private LoadClient() {
    }

    /** What a run did. */
    public record Summary(long due, long ok, long failed, long skipped) {
    }

    public static void main(String[] args) throws InterruptedException {
        URI url = URI.create("http://127.0.0.1:8080/");
        int rate = 200;
        Duration duration = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--url" -> url = URI.create(required(args[i], value));
                case "--rate" -> rate = Integer.parseInt(required(args[i], value));
                case "--duration" -> duration = parseDuration(required(args[i], value));
                default -> usage("unknown option " + args[i]);
            }
            i++;
        }
        if (rate < 1) {
            usage("--rate must be at least 1");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            usage("--url must be an http:// or https:// URL");
        }
        Summary summary = run(url, rate, duration, System.out);
        System.exit(summary.ok() > 0 ? 0 : 1);
    }

    /** Sends {@code rate} requests a second to {@code url} for {@code duration}, then waits for the last answers. */
    public static Summary run(URI url, int rate, Duration duration, PrintStream progress) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong due = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong skipped = new AtomicLong();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        progress.printf("load: GET %s, %d requests/s for %d s%n", url, rate, duration.toSeconds());
        ticks.scheduleAtFixedRate(() -> {
            // Due so far, by the clock: ticks that run late catch up instead of lowering the rate.
            long elapsed = Math.min(System.nanoTime(), end) - start;
            long dueNow = elapsed * rate / 1_000_000_000L;
            while (due.get() < dueNow) {
                due.incrementAndGet();
                if (!inFlight.tryAcquire()) {
                    skipped.incrementAndGet();
                    continue;
                }
                try {
                    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                            .header("X-Request-Id", UUID.randomUUID().toString()).build();
                    client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, e) -> {
                        (e == null && response.statusCode() < 400 ? ok : failed).incrementAndGet();
                        inFlight.release();
                    });
                } catch (RuntimeException e) {
                    // A failure to send must not end the schedule: it counts, and the load goes on.
                    failed.incrementAndGet();
                    inFlight.release();
                }
            }
        }, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try {
            long next = start + TimeUnit.MILLISECONDS.toNanos(PROGRESS_MILLIS);
            while (System.nanoTime() < end) {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(next, end) - System.nanoTime()));
                if (System.nanoTime() >= next) {
                    progress.printf("load: %3d s  %7d due  %7d ok  %5d failed  %5d skipped%n",
                            (System.nanoTime() - start) / 1_000_000_000L, due.get(), ok.get(), failed.get(),
                            skipped.get());
                    next += TimeUnit.MILLISECONDS.toNanos(PROGRESS_MILLIS);
                }
            }
        } finally {
            ticks.shutdownNow();
            ticks.awaitTermination(5, TimeUnit.SECONDS);
            inFlight.tryAcquire(MAX_IN_FLIGHT, 15, TimeUnit.SECONDS);
        }
        Summary summary = new Summary(due.get(), ok.get(), failed.get(), skipped.get());
        progress.printf("load: done, %d due, %d ok, %d failed, %d skipped (%d already waiting)%n",
                summary.due(), summary.ok(), summary.failed(), summary.skipped(), MAX_IN_FLIGHT);
        return summary;
    }

    private static Duration parseDuration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
    }

    private static String required(String option, String value) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("load-client: " + problem);
        System.err.println("usage: load-client [--url URL] [--rate REQUESTS_PER_SECOND] [--duration 60s|2m|500ms]");
        System.exit(2);
    }
}
