package dev.pprof4j.servlet.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's own clients: a few, each sending a request every 10 ms
 * (at once when behind), timing each answer, for a fixed duration.
 */
final class ApplicationTraffic {

    static final int CLIENTS = 4;
    static final long INTERVAL_NANOS = 10_000_000L;

    /** A phase's response times and failures (an error status, a timeout, a refused connection). */
    record Result(Latencies latencies, long failed, List<String> firstFailures) {
    }

    private ApplicationTraffic() {
    }

    static Result run(HttpClient client, String url, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong failed = new AtomicLong();
        List<String> firstFailures = new ArrayList<>();
        List<long[]> perClient = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        for (int i = 0; i < CLIENTS; i++) {
            long[][] times = {new long[1024]};
            int[] count = {0};
            Thread thread = new Thread(() -> {
                long next = System.nanoTime();
                while (next < end) {
                    long start = System.nanoTime();
                    String failure = null;
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            failure = "status " + response.statusCode();
                        }
                    } catch (Exception e) {
                        failure = e.toString();
                    }
                    long elapsed = System.nanoTime() - start;
                    if (failure != null) {
                        failed.incrementAndGet();
                        synchronized (firstFailures) {
                            if (firstFailures.size() < 10) {
                                firstFailures.add(failure);
                            }
                        }
                    } else {
                        if (count[0] == times[0].length) {
                            times[0] = Arrays.copyOf(times[0], count[0] * 2);
                        }
                        times[0][count[0]++] = elapsed;
                    }
                    next = Math.max(next + INTERVAL_NANOS, System.nanoTime());
                    long pause = next - System.nanoTime();
                    if (pause > 0) {
                        try {
                            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                synchronized (perClient) {
                    perClient.add(Arrays.copyOf(times[0], count[0]));
                }
            }, "application-client-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long[] all = perClient.stream().flatMapToLong(java.util.Arrays::stream).toArray();
        return new Result(Latencies.of(all), failed.get(), List.copyOf(firstFailures));
    }
}
