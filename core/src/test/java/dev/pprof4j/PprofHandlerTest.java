package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import org.junit.jupiter.api.Test;

/** What the handler does when things go wrong: the application never sees an exception. */
class PprofHandlerTest {

    private final PprofHandler handler = new PprofHandler();

    @Test
    void aFailureWhileAnsweringIsAPlain500AndTheNextRequestWorks() throws IOException {
        PprofExchange broken = exchange("/");
        when(broken.requestUrl()).thenThrow(new IllegalStateException("container exploded"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        when(broken.responseBody()).thenReturn(body);

        handler.handle(broken);

        verify(broken).setStatus(500);
        verify(broken).setHeader("X-Go-Pprof", "1");
        assertThat(body.toString(StandardCharsets.UTF_8)).isEqualTo(PprofHandler.INTERNAL_ERROR + "\n");

        PprofExchange next = exchange("/goroutine");
        when(next.responseBody()).thenReturn(new ByteArrayOutputStream());
        handler.handle(next);
        verify(next).setStatus(200);
    }

    /** Sampling starts on pprof4j's own thread; a request that comes first waits for it, then answers. */
    @Test
    void aRequestBeforeSamplingHasStartedWaitsForIt() throws IOException {
        try (PprofHandler fresh = new PprofHandler()) {
            PprofExchange first = exchange("/mutex");
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            when(first.responseBody()).thenReturn(body);
            fresh.handle(first);
            verify(first).setStatus(200);
            assertThat(body.toByteArray()).startsWith(0x1f, 0x8b);
        }
    }

    @Test
    void aClientThatGoesAwayIsNoError() throws IOException {
        PprofExchange gone = exchange("/goroutine");
        when(gone.responseBody()).thenThrow(new IOException("Broken pipe"));
        handler.handle(gone);
        verify(gone).setStatus(200);
    }

    @Test
    void anAdapterThatThrowsWhileSendingDoesNotLeakIt() throws IOException {
        PprofExchange broken = exchange("/cmdline");
        doThrow(new IllegalStateException("committed")).when(broken).setStatus(anyInt());
        handler.handle(broken);
        verify(broken).setStatus(200);
    }

    @Test
    void atMostFourResponsesAreRenderedAndSentAtOnce() throws Exception {
        CountDownLatch slowClients = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<CompletableFuture<Void>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PprofExchange slow = exchange("/goroutine");
            when(slow.queryString()).thenReturn("debug=1");
            when(slow.responseBody()).thenReturn(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    try {
                        slowClients.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            });
            held.add(CompletableFuture.runAsync(() -> handler.handle(slow), threads));
        }
        PprofExchange next = exchange("/goroutine");
        when(next.responseBody()).thenReturn(new ByteArrayOutputStream());
        Thread.sleep(500);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> handler.handle(next), threads);
        Thread.sleep(1_000);
        assertThat(waiting).as("a fifth rendering while four bodies are being sent").isNotDone();
        slowClients.countDown();
        waiting.get(10, TimeUnit.SECONDS);
        verify(next).setStatus(200);
        CompletableFuture.allOf(held.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        threads.shutdown();
    }

    @Test
    void theRedirectEscapesWhatNoUrlMayHold() throws IOException {
        PprofExchange odd = exchange(null);
        when(odd.requestUrl()).thenReturn("http://127.0.0.1:1/debug/pprof;x|y^{\"");
        when(odd.queryString()).thenReturn("a=|");
        when(odd.responseBody()).thenReturn(new ByteArrayOutputStream());
        handler.handle(odd);
        verify(odd).setStatus(301);
        verify(odd).setHeader("Location", "/debug/pprof;x%7Cy%5E%7B%22/?a=%7C");
    }

    @Test
    void customProfilesCannotTakeABuiltInName() {
        for (String name : new String[] {"goroutine", "cmdline", "symbol", "profile", "trace", "delta_heap"}) {
            PprofOptions options = PprofOptions.builder().profile(new CustomProfile(name)).build();
            assertThatThrownBy(() -> new PprofHandler(options)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name);
        }
    }

    @Test
    void customProfilesRejectDuplicateValues() {
        CustomProfile profile = new CustomProfile("example.com/files");
        Object file = new Object();
        profile.add(file);
        assertThatThrownBy(() -> profile.add(file)).isInstanceOf(IllegalArgumentException.class);
        profile.remove(file);
        assertThat(profile.count()).isZero();
        assertThatThrownBy(() -> new CustomProfile("/leading")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void symbolAddressesParseAsGoParsesThem() {
        assertThat(SymbolEndpoint.parseAddress("0x1f")).isEqualTo(31);
        assertThat(SymbolEndpoint.parseAddress("017")).isEqualTo(15);
        assertThat(SymbolEndpoint.parseAddress("42")).isEqualTo(42);
        assertThat(SymbolEndpoint.parseAddress("0b101")).isEqualTo(5);
        assertThat(SymbolEndpoint.parseAddress("0o17")).isEqualTo(15);
        assertThat(SymbolEndpoint.parseAddress("0x_ff")).isEqualTo(255);
        assertThat(SymbolEndpoint.parseAddress("+1")).isZero();
        assertThat(SymbolEndpoint.parseAddress("0x")).isZero();
        assertThat(SymbolEndpoint.parseAddress("zzz")).isZero();
        assertThat(SymbolEndpoint.parseAddress("")).isZero();
    }

    @Test
    void traceSecondsAreParsedAsGosAre() {
        assertThat(TraceEndpoint.seconds("0.5")).isEqualTo(0.5);
        assertThat(TraceEndpoint.seconds("3")).isEqualTo(3);
        for (String defaulted : List.of("", "abc", "0", "-1", "NaN", "Infinity")) {
            assertThat(TraceEndpoint.seconds(defaulted)).as(defaulted).isEqualTo(1);
        }
    }

    @Test
    void customProfilesRecordTheStackFromTheCallerAsGoDoes() throws Exception {
        CustomProfile profile = new CustomProfile("example.com/skip");
        Object direct = new Object();
        Object forCaller = new Object();
        addFor(profile, direct, 0);
        addFor(profile, forCaller, 1);
        StackProfile snapshot = profile.served().snapshot();
        assertThat(snapshot.samples()).extracting(s -> s.stack().get(0).methodName())
                .containsExactlyInAnyOrder("addFor", "customProfilesRecordTheStackFromTheCallerAsGoDoes");
        profile.add(new Object());
        assertThat(profile.served().snapshot().samples()).extracting(s -> s.stack().get(0).methodName())
                .contains("customProfilesRecordTheStackFromTheCallerAsGoDoes");
    }

    private static void addFor(CustomProfile profile, Object value, int skip) {
        profile.add(value, skip);
    }

    @Test
    void timedProfilesBeyondTheLimitAreRefused() throws Exception {
        PprofHandler limited = new PprofHandler(PprofOptions.builder().maxConcurrentProfiles(1).build());
        try (JdkHttpServer server = new JdkHttpServer(limited)) {
            String url = server.origin() + "/debug/pprof/goroutine?seconds=4";
            Thread first = new Thread(() -> {
                try {
                    HttpTestClient.get(url);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            first.start();
            // Well inside the first one's window, even on a loaded machine.
            Thread.sleep(1500);
            HttpTestClient.Reply second = HttpTestClient.get(url);
            first.join();
            assertThat(second.status()).isEqualTo(503);
            assertThat(second.header("X-Go-Pprof")).isEqualTo("1");
            assertThat(second.text()).isEqualTo("too many profiles in progress (at most 1 at once); try again later\n");
            assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/goroutine?seconds=1").status()).isEqualTo(200);
        }
    }

    @Test
    void aHugeSymbolRequestIsReadOnlyUpToItsCap() throws IOException, InterruptedException {
        FrameTable table = new FrameTable(10);
        long known = table.address(Frame.of("com.example.A", "run", "A.java", 1)) - 1;
        String word = "0x" + Long.toHexString(known);
        String body = word + "+" + "zzz+".repeat(1_000_000) + word;
        PprofExchange post = exchange("/symbol");
        when(post.method()).thenReturn("POST");
        when(post.requestBody()).thenReturn(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        when(post.responseBody()).thenReturn(out);

        new SymbolEndpoint(table).respond(post).send(post);

        // The first address is answered; the one past the 2 MiB cap is never read.
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("num_symbols: 1\n" + word + " com.example.A.run\n");
    }

    @Test
    void indexLinksAreUrlPaths() {
        assertThat(IndexPage.pathEscape("example.com/a b%?#")).isEqualTo("example.com/a%20b%25%3F%23");
        assertThat(IndexPage.render(java.util.List.of(new IndexPage.Entry("x'<y", 1, "d")), "http://h", java.util.List.of("goroutine")))
                .contains("<a href='x&#39;%3Cy?debug=1'>x&#39;&lt;y</a>");
    }

    private static PprofExchange exchange(String pathInfo) {
        PprofExchange exchange = mock(PprofExchange.class);
        when(exchange.remoteAddress()).thenReturn("127.0.0.1");
        when(exchange.method()).thenReturn("GET");
        when(exchange.pathInfo()).thenReturn(pathInfo);
        when(exchange.requestUrl()).thenReturn("http://127.0.0.1:1/debug/pprof" + pathInfo);
        return exchange;
    }
}
