package dev.pprof4j;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@code heap} or {@code allocs} request costs while the application
 * works: the time to answer (which includes waiting for JFR's next
 * delivery), and what the answering thread allocates, with the profile at
 * pprof4j's default cap of 4,096 allocation stacks. One thread runs
 * {@link AlwaysOnCost}'s service-like work, another allocates along 8,192
 * distinct call paths, so that the sampled stacks reach the cap during the
 * warm-up; then requests alternate between the two paths, one every half
 * second, each answered as an adapter would ({@link PprofHandler#handle}).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pprof4j.RequestCost [requests-per-path [warm-up-seconds]]
 * </pre>
 */
public final class RequestCost {

    /** 2^13 call paths: more distinct stacks than the cap. */
    private static final int PATH_BITS = 13;
    private static final Pattern HEAP_COUNT = Pattern.compile("<td>(\\d+)</td><td><a href='heap\\?debug=1'>");
    private static volatile boolean stop;
    private static volatile Object sink;

    private RequestCost() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Thread service = new Thread(() -> {
            while (!stop) {
                sink = AlwaysOnCost.serviceRequest(30);
            }
        }, "service");
        Thread manyStacks = new Thread(() -> {
            for (int path = 0; !stop; path = (path + 1) & ((1 << PATH_BITS) - 1)) {
                sink = along(path, PATH_BITS);
            }
        }, "many-stacks");
        try (PprofHandler handler = new PprofHandler()) {
            handler.awaitSampling(Duration.ofSeconds(10));
            service.start();
            manyStacks.start();
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmUp));
            String index = new String(answer(handler, "/").body, StandardCharsets.UTF_8);
            Matcher count = HEAP_COUNT.matcher(index);
            System.out.printf("java %s; heap lists %s allocation stacks after %d s%n",
                    System.getProperty("java.version"), count.find() ? count.group(1) : "?", warmUp);
            for (String path : List.of("/heap", "/allocs")) {
                answer(handler, path);
            }
            long[][] millis = new long[2][requests];
            long[][] allocated = new long[2][requests];
            long[] bodyBytes = new long[2];
            for (int i = 0; i < requests; i++) {
                for (int p = 0; p < 2; p++) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    long start = System.nanoTime();
                    Answer answer = answer(handler, p == 0 ? "/heap" : "/allocs");
                    millis[p][i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    allocated[p][i] = threads.getCurrentThreadAllocatedBytes() - before;
                    bodyBytes[p] = answer.body.length;
                    if (answer.status != 200) {
                        throw new IllegalStateException("status " + answer.status);
                    }
                    Thread.sleep(500);
                }
            }
            System.out.println("| request | p50 | p99 | max | allocated by the answering thread, median | body (gzip) |");
            System.out.println("|---|---|---|---|---|---|");
            for (int p = 0; p < 2; p++) {
                long[] sorted = millis[p].clone();
                Arrays.sort(sorted);
                long[] bytes = allocated[p].clone();
                Arrays.sort(bytes);
                System.out.printf(Locale.ROOT, "| %s | %d ms | %d ms | %d ms | %.1f MB | %d KB |%n",
                        p == 0 ? "heap" : "allocs", sorted[requests / 2],
                        sorted[Math.min(requests - 1, (int) Math.ceil(requests * 0.99) - 1)], sorted[requests - 1],
                        bytes[requests / 2] / 1e6, bodyBytes[p] / 1024);
            }
        } finally {
            stop = true;
        }
    }

    /** Allocates at the end of a call path chosen by the bits of {@code path}: one distinct stack per path. */
    private static Object along(int path, int depth) {
        if (depth == 0) {
            return new byte[64];
        }
        return (path >> (depth - 1) & 1) == 0 ? left(path, depth - 1) : right(path, depth - 1);
    }

    private static Object left(int path, int depth) {
        return along(path, depth);
    }

    private static Object right(int path, int depth) {
        return along(path, depth);
    }

    /** A response as an adapter sends it. */
    record Answer(int status, byte[] body) {
    }

    /** Answers {@code pathAndQuery} ({@code /goroutine?debug=2}) as an adapter would, on this thread. */
    static Answer answer(PprofHandler handler, String pathAndQuery) {
        int question = pathAndQuery.indexOf('?');
        Exchange exchange = question < 0 ? new Exchange(pathAndQuery, null)
                : new Exchange(pathAndQuery.substring(0, question), pathAndQuery.substring(question + 1));
        handler.handle(exchange);
        return new Answer(exchange.status, exchange.body.toByteArray());
    }

    /** A GET from this machine, in memory. */
    private static final class Exchange implements PprofExchange {
        private final String pathInfo;
        private final String query;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status;

        Exchange(String pathInfo, String query) {
            this.pathInfo = pathInfo;
            this.query = query;
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String requestUrl() {
            return "http://127.0.0.1/debug/pprof" + pathInfo + (query == null ? "" : "?" + query);
        }

        @Override
        public String pathInfo() {
            return pathInfo;
        }

        @Override
        public String queryString() {
            return query;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public List<String> requestHeaders(String name) {
            return new ArrayList<>();
        }

        @Override
        public InputStream requestBody() {
            return InputStream.nullInputStream();
        }

        @Override
        public void setStatus(int status) {
            this.status = status;
        }

        @Override
        public void setHeader(String name, String value) {
        }

        @Override
        public OutputStream responseBody() {
            return body;
        }
    }
}
