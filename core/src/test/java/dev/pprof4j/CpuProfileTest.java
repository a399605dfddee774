package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.ProfilingState;
import dev.pprof4j.testing.RawProfile;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code profile} against threads whose CPU use the test controls, read with the real go tool pprof. */
class CpuProfileTest {

    private static final String BURN = CpuProfileTest.class.getName() + ".burn";
    private static final long SECOND = 1_000_000_000L;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void busyAndSleepingThreads() {
        for (int i = 0; i < 2; i++) {
            threads.add(new Thread(() -> burn(stop), "burner-" + i));
        }
        for (int i = 0; i < 3; i++) {
            threads.add(new Thread(this::sleep, "sleeper-" + i));
        }
        threads.forEach(Thread::start);
    }

    @AfterEach
    void stopThreads() throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    @Test
    void twoBusyThreadsLeadWithTheirCpuTime() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            // A first, short profile: the JIT compiles the burner and pprof4j's own paths, as in a warm server.
            assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=2").status()).isEqualTo(200);
            HttpTestClient.Reply reply = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=5");
            assertThat(reply.status()).isEqualTo(200);
            Path file = GoPprof.save(reply.body(), "profile.pb.gz");

            GoPprof.Run top = GoPprof.run("-top", file.toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            assertThat(top.stdout()).contains("Type: cpu");
            assertThat(top.firstTopRow()).as(top.stdout()).endsWith(" " + BURN);
            RawProfile raw = RawProfile.parse(GoPprof.run("-raw", file.toString()).stdout());
            long cpu = raw.total(1);
            assertThat((double) raw.total(1, BURN) / cpu).as(top.stdout()).isGreaterThanOrEqualTo(0.8);
            assertThat((double) cpu / (2 * 5 * SECOND)).as("%d ns of CPU in 5 s", cpu).isBetween(0.8, 1.2);

            String sampler = Runtime.version().feature() >= 25 ? "jdk.CPUTimeSample" : "jdk.ExecutionSample";
            GoPprof.Run comments = GoPprof.run("-comments", file.toString());
            assertThat(comments.stdout()).contains(sampler);
        }
    }

    // Labels on a request's work reach its samples.
    @Test
    void samplesCarryTheLabelsTheirThreadRanUnder() throws Exception {
        Thread labelled = new Thread(() -> PprofLabels.run(Map.of("route", "/x"), () -> burn(stop)), "labelled");
        threads.add(labelled);
        labelled.start();
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            HttpTestClient.Reply reply = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=3");
            Path file = GoPprof.save(reply.body(), "profile.pb.gz");
            GoPprof.Run raw = GoPprof.run("-raw", file.toString());
            assertThat(raw.stdout()).contains("route:[/x]");
            RawProfile all = RawProfile.parse(raw.stdout());

            GoPprof.Run focused = GoPprof.run("-tagfocus=route=/x", "-raw", file.toString());
            RawProfile route = RawProfile.parse(focused.stdout());
            // One of three busy threads: about a third of the burning.
            assertThat((double) route.total(1, BURN) / all.total(1, BURN)).isBetween(0.15, 0.5);
            assertThat(route.total(1)).isEqualTo(route.total(1, BURN));
            GoPprof.Run top = GoPprof.run("-tagfocus=route=/x", "-top", file.toString());
            assertThat(top.firstTopRow()).endsWith(" " + BURN);
        }
    }

    @Test
    void overlappingProfilesEachSeeTheirOwnWindow() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            CompletableFuture<HttpTestClient.Reply> first = CompletableFuture.supplyAsync(
                    () -> get(server.origin() + "/debug/pprof/profile?seconds=4"));
            Thread.sleep(1_000);
            HttpTestClient.Reply second = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=2");
            for (HttpTestClient.Reply reply : List.of(first.get(), second)) {
                assertThat(reply.status()).isEqualTo(200);
            }
            RawProfile longer = raw(first.get());
            RawProfile shorter = raw(second);
            for (RawProfile profile : List.of(longer, shorter)) {
                assertThat((double) profile.total(1, BURN) / profile.total(1)).isGreaterThanOrEqualTo(0.8);
            }
            // Each window holds its own time's worth of the two busy threads' CPU.
            assertThat((double) longer.total(1, BURN) / (2 * 4 * SECOND)).isBetween(0.7, 1.2);
            assertThat((double) shorter.total(1, BURN) / (2 * 2 * SECOND)).isBetween(0.7, 1.2);
        }
    }

    @Test
    void pastTheLimitOfConcurrentProfilesTheAnswerIsGos() throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            CompletableFuture<HttpTestClient.Reply> first = CompletableFuture.supplyAsync(
                    () -> get(server.origin() + "/debug/pprof/profile?seconds=2"));
            Thread.sleep(500);
            HttpTestClient.Reply second = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=1");
            assertThat(second.status()).isEqualTo(500);
            assertThat(second.text()).isEqualTo("Could not enable CPU profiling: cpu profiling already in use\n");
            assertThat(first.get().status()).isEqualTo(200);
        }
    }

    // No path means a 30 s profile, as does an unparsable seconds.
    @Test
    void defaultsToThirtySecondsLikeGo() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            CompletableFuture<HttpTestClient.Reply> unparsable = CompletableFuture.supplyAsync(
                    () -> get(server.origin() + "/debug/pprof/profile?seconds=abc"));
            long start = System.nanoTime();
            GoPprof.Run top = GoPprof.run("-top", server.origin().substring("http://".length()));
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            assertThat(top.stderr()).contains("/debug/pprof/profile");
            assertThat(top.stdout()).contains("Type: cpu").contains("Duration: 30");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30 * SECOND);
            assertThat(unparsable.get().status()).isEqualTo(200);
            assertThat(GoPprof.run("-top", GoPprof.save(unparsable.get().body(), "p.pb.gz").toString()).stdout())
                    .contains("Duration: 30");
        }
    }

    @Test
    void aCancelledProfileStopsAtOnceAndLeavesNoSamplingBehind() throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            PprofExchange gone = minuteLongProfile(server);
            when(gone.responseBody()).thenReturn(new ByteArrayOutputStream());
            CompletableFuture<Void> answer = handler.handleAsync(gone);
            Thread.sleep(1_500);
            assertThat(cpuSamplingEnabled()).isTrue();
            answer.cancel(true);
            assertNothingLeftBehind(server);
        }
    }

    @Test
    void aClientThatGoesAwayEndsItsProfile() throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            URI origin = URI.create(server.origin());
            try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
                socket.getOutputStream().write("GET /debug/pprof/profile?seconds=60 HTTP/1.1\r\nHost: x\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                // The status comes at once; the body while the profile records.
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertThat(status).isEqualTo("HTTP/1.1 200 OK");
                assertThat(cpuSamplingEnabled()).isTrue();
            }
            assertNothingLeftBehind(server);
        }
    }

    @Test
    void anExchangeThatFailsBeforeTheBodyLeavesNoSamplingBehind() throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            PprofExchange broken = minuteLongProfile(server);
            when(broken.responseBody()).thenThrow(new java.io.IOException("connection reset"));
            handler.handle(broken);
            assertNothingLeftBehind(server);
        }
    }

    /** A request for a 60-second CPU profile from this machine, as an adapter would hand it over. */
    private static PprofExchange minuteLongProfile(JdkHttpServer server) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.remoteAddress()).thenReturn("127.0.0.1");
        when(exchange.method()).thenReturn("GET");
        when(exchange.pathInfo()).thenReturn("/profile");
        when(exchange.queryString()).thenReturn("seconds=60");
        when(exchange.requestUrl()).thenReturn(server.origin() + "/debug/pprof/profile");
        return exchange;
    }

    /** Within a few seconds, the one permitted profile is free again and no CPU sampler runs. */
    private static void assertNothingLeftBehind(JdkHttpServer server) throws Exception {
        long deadline = System.nanoTime() + 5 * SECOND;
        while (cpuSamplingEnabled() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(cpuSamplingEnabled()).isFalse();
        // The permit is freed just after the sampler stops; a busy refusal answers at once.
        HttpTestClient.Reply next = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=1");
        while (next.status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            next = HttpTestClient.get(server.origin() + "/debug/pprof/profile?seconds=1");
        }
        assertThat(next.status()).as(next.text()).isEqualTo(200);
    }

    private static boolean cpuSamplingEnabled() {
        return ProfilingState.anyEnabled(List.of(CpuProfiler.CPU_TIME_SAMPLE, CpuProfiler.EXECUTION_SAMPLE));
    }

    private static RawProfile raw(HttpTestClient.Reply reply) throws Exception {
        return RawProfile.parse(GoPprof.run("-raw", GoPprof.save(reply.body(), "p.pb.gz").toString()).stdout());
    }

    private static HttpTestClient.Reply get(String url) {
        try {
            return HttpTestClient.get(url);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The method whose CPU the profile must find: arithmetic only, so every sample of the thread is in it. */
    private static long burn(AtomicBoolean stop) {
        long x = 0;
        while (!stop.get()) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 31 + i;
            }
        }
        return x;
    }

    private void sleep() {
        while (!stop.get()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
