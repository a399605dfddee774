package dev.pprof4j.examples.leak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.examples.load.LoadClient;
import dev.pprof4j.testing.GoPprof;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The example's story, run for real: the leaky service under bounded load,
 * then the real {@code go tool pprof} on its heap profile, focused on the
 * filter, names the line that registers a timer per request; the fixed
 * service, under the same load, keeps its in-use heap below a bound that
 * the leaky one passes.
 */
class LeakEndToEndTest {

    private static final int RATE = 150;
    private static final Duration LOAD = Duration.ofSeconds(30);
    /** In-use heap that the leaky service passes and the fixed one stays under, after the same load. */
    private static final long BOUND = 50_000_000;

    @Test
    void pprofNamesTheLeakingLineAndTheFixKeepsTheHeapFlat() throws Exception {
        String leakLine = "RequestTimingFilter.doFilterInternal dev/pprof4j/examples/leak/RequestTimingFilter.java:"
                + lineOf("timer = Timer.builder(METER).tag(\"request\"");
        long leaky;
        try (Service service = Service.start(false)) {
            service.load();
            GoPprof.Run top = service.topInUse();
            assertThat(top.firstTopRow()).as(top.stdout()).contains(leakLine);
            leaky = totalInUse(top);
        }
        long fixed;
        try (Service service = Service.start(true)) {
            service.load();
            fixed = totalInUse(service.topInUse());
        }
        System.out.printf("in-use heap after %d requests: leaky %.1f MB, fixed %.1f MB%n",
                RATE * LOAD.toSeconds(), leaky / 1e6, fixed / 1e6);
        assertThat(leaky).as("leaky in-use bytes").isGreaterThan(BOUND);
        assertThat(fixed).as("fixed in-use bytes").isLessThan(BOUND);
    }

    /** The 1-based number of the line of RequestTimingFilter.java that contains {@code code}. */
    private static int lineOf(String code) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/main/java/dev/pprof4j/examples/leak/RequestTimingFilter.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(code)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + code);
    }

    /** The profile's total in-use bytes, from {@code -top}'s "Showing nodes accounting for …, …% of TOTAL total". */
    private static long totalInUse(GoPprof.Run top) {
        Matcher total = Pattern.compile("of (\\d+(?:\\.\\d+)?)([kMG]?B) total").matcher(top.stdout());
        assertThat(total.find()).as(top.stdout()).isTrue();
        double scale = switch (total.group(2)) {
            case "kB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            default -> 1;
        };
        return (long) (Double.parseDouble(total.group(1)) * scale);
    }

    /** The service in a JVM of its own, as it runs in production: a small heap, nothing else in it. */
    private record Service(Process process, Path log, String origin) implements AutoCloseable {

        static Service start(boolean fixed) throws Exception {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    LeakyServiceApplication.class.getName(), "--server.port=" + port, "--server.address=127.0.0.1"));
            if (fixed) {
                command.add("--fixed");
            }
            Path log = Files.createTempFile("leaky-service", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Service service = new Service(process, log, "http://127.0.0.1:" + port);
            service.awaitHealthy();
            return service;
        }

        private void awaitHealthy() throws Exception {
            HttpClient client = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    if (client.send(HttpRequest.newBuilder(URI.create(origin + "/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // Not listening yet.
                }
                Thread.sleep(250);
            }
            throw new AssertionError("the service did not start; its log:\n" + Files.readString(log));
        }

        void load() throws InterruptedException {
            LoadClient.Summary summary = LoadClient.run(URI.create(origin + "/"), RATE, LOAD, System.out);
            assertThat(summary.ok()).as("requests answered").isGreaterThan(summary.due() * 9 / 10);
        }

        /** go tool pprof's top in-use lines below the filter, of a heap profile taken after a collection. */
        GoPprof.Run topInUse() throws Exception {
            GoPprof.Run top = GoPprof.run("-top", "-lines", "-cum", "-sample_index=inuse_space",
                    "-focus=RequestTimingFilter", "-show_from=RequestTimingFilter", origin + "/debug/pprof/heap?gc=1");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            return top;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(log);
        }
    }
}
