package dev.pprof4j.servlet.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Clients of the profiles, each cycling over every endpoint (the timed ones
 * with short windows) for a fixed duration, each from its own place in the
 * cycle, counting the answers by kind.
 */
final class ProfileClients {

    /** One request of the cycle; a POST when it has a body. */
    record Request(String label, String target, String postBody) {
    }

    static final List<Request> CYCLE = List.of(
            new Request("index", "/", null),
            new Request("cmdline", "/cmdline", null),
            new Request("symbol GET", "/symbol?0x1+0x2", null),
            new Request("symbol POST", "/symbol", "0x1+0x2+0x3"),
            new Request("profile?seconds=1", "/profile?seconds=1", null),
            new Request("trace?seconds=1", "/trace?seconds=1", null),
            new Request("heap", "/heap", null),
            new Request("heap?debug=1", "/heap?debug=1", null),
            new Request("heap?seconds=1", "/heap?seconds=1", null),
            new Request("allocs", "/allocs", null),
            new Request("allocs?debug=1", "/allocs?debug=1", null),
            new Request("allocs?seconds=1", "/allocs?seconds=1", null),
            new Request("goroutine", "/goroutine", null),
            new Request("goroutine?debug=1", "/goroutine?debug=1", null),
            new Request("goroutine?debug=2", "/goroutine?debug=2", null),
            new Request("goroutine?seconds=1", "/goroutine?seconds=1", null),
            new Request("threadcreate", "/threadcreate", null),
            new Request("threadcreate?debug=1", "/threadcreate?debug=1", null),
            new Request("threadcreate?seconds=1", "/threadcreate?seconds=1", null),
            new Request("mutex", "/mutex", null),
            new Request("mutex?debug=1", "/mutex?debug=1", null),
            new Request("mutex?seconds=1", "/mutex?seconds=1", null),
            new Request("block", "/block", null),
            new Request("block?debug=1", "/block?debug=1", null),
            new Request("block?seconds=1", "/block?seconds=1", null));

    static final String OK = "200";
    static final long REFUSED_PAUSE_MILLIS = 100;
    static final String TOO_MANY_PROFILES = "503 too many profiles";
    static final String TOO_MANY_REQUESTS = "503 too many requests";
    static final String CPU_IN_USE = "500 cpu profiling already in use";

    /** Answers by request and kind, and those outside the documented limits. */
    static final class Tally {
        final Map<String, Map<String, LongAdder>> byRequest = new ConcurrentHashMap<>();
        final AtomicLong unexpected = new AtomicLong();
        final List<String> firstUnexpected = new ArrayList<>();
        final AtomicLong requests = new AtomicLong();

        void count(String label, String kind) {
            requests.incrementAndGet();
            byRequest.computeIfAbsent(label, any -> new ConcurrentHashMap<>())
                    .computeIfAbsent(kind, any -> new LongAdder()).increment();
        }

        void unexpected(String label, String what) {
            unexpected.incrementAndGet();
            synchronized (firstUnexpected) {
                if (firstUnexpected.size() < 10) {
                    firstUnexpected.add(label + ": " + what);
                }
            }
        }

        long count(String kind) {
            return byRequest.values().stream().map(kinds -> kinds.get(kind)).filter(adder -> adder != null)
                    .mapToLong(LongAdder::sum).sum();
        }

        /** Per request: how many times of each kind. */
        Map<String, Map<String, Long>> table() {
            Map<String, Map<String, Long>> table = new TreeMap<>();
            byRequest.forEach((label, kinds) -> {
                Map<String, Long> counts = new TreeMap<>();
                kinds.forEach((kind, adder) -> counts.put(kind, adder.sum()));
                table.put(label, counts);
            });
            return table;
        }
    }

    private ProfileClients() {
    }

    static Tally run(HttpClient client, String mount, int clients, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        Tally tally = new Tally();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int first = i % CYCLE.size();
            Thread thread = new Thread(() -> {
                for (int n = first; System.nanoTime() < end; n = (n + 1) % CYCLE.size()) {
                    send(client, mount, CYCLE.get(n), tally);
                }
            }, "profile-client-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return tally;
    }

    private static void send(HttpClient client, String mount, Request request, Tally tally) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(mount + request.target()))
                .timeout(Duration.ofSeconds(30));
        if (request.postBody() != null) {
            builder.header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(request.postBody()));
        }
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            String body = response.statusCode() == 200 ? "" : new String(response.body(), StandardCharsets.UTF_8);
            String kind = kind(response.statusCode(), body);
            if (kind == null) {
                tally.unexpected(request.label(), response.statusCode() + " " + body.strip());
            } else {
                tally.count(request.label(), kind);
            }
            if (!OK.equals(kind)) {
                // As a client told "try again later" would: not at once.
                Thread.sleep(REFUSED_PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            tally.unexpected(request.label(), e.toString());
        }
    }

    /** The kind of an answer within the documented limits, or {@code null} for any other. */
    static String kind(int status, String body) {
        if (status == 200) {
            return OK;
        }
        if (status == 503 && body.startsWith("too many profiles in progress")) {
            return TOO_MANY_PROFILES;
        }
        if (status == 503 && (body.startsWith("too many pprof requests in progress")
                || body.startsWith("too many profiles being rendered at once"))) {
            return TOO_MANY_REQUESTS;
        }
        if (status == 500 && body.startsWith("Could not enable CPU profiling: cpu profiling already in use")) {
            return CPU_IN_USE;
        }
        return null;
    }
}
