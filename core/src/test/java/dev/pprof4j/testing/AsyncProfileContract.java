package dev.pprof4j.testing;

import static dev.pprof4j.testing.ProfilingState.profilingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofOptions;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Long profiles answered asynchronously, as every adapter must on its real
 * server: the profile waits on pprof4j's thread, not the server's, past the
 * connection's idle timeout, and a client that goes away ends it.
 */
public abstract class AsyncProfileContract {

    /**
     * Starts a server on 127.0.0.1 with {@code options} mounted at {@code /debug/pprof}, whose
     * connections time out after {@code idleTimeoutMillis} without traffic; returns its port.
     */
    protected abstract int start(PprofOptions options, int idleTimeoutMillis) throws Exception;

    protected abstract void stop() throws Exception;

    @AfterEach
    void stopServer() throws Exception {
        stop();
    }

    @Test
    void aProfileWaitsOnPprofsThreadPastTheConnectionsIdleTimeout() throws Exception {
        String mount = "http://127.0.0.1:" + start(PprofOptions.defaults(), 1_000) + "/debug/pprof";
        CompletableFuture<HttpTestClient.Reply> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return HttpTestClient.get(mount + "/profile?seconds=3");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_500);
        awaitProfilingThreads(1);
        assertThat(profilingThreads()).hasSize(1).allMatch(name -> name.startsWith("pprof4j-worker-"));
        // Answered in full, 2 s after the connection's idle timeout would have cut a plain wait.
        assertThat(reply.get().status()).isEqualTo(200);
        assertThat(reply.get().header("Content-Disposition")).isEqualTo("attachment; filename=\"profile\"");
    }

    @Test
    void aClientThatGoesAwayEndsItsProfile() throws Exception {
        int port = start(PprofOptions.builder().maxConcurrentProfiles(1).build(), 30_000);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /debug/pprof/profile?seconds=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitProfilingThreads(1);
            assertThat(profilingThreads()).hasSize(1);
        }
        awaitProfilingThreads(0);
        assertThat(profilingThreads()).isEmpty();
        // The one permitted profile is free again.
        assertThat(HttpTestClient.get("http://127.0.0.1:" + port + "/debug/pprof/profile?seconds=1").status())
                .isEqualTo(200);
    }

    @Test
    void aClientThatGoesAwayEndsItsDeltaWithinASecond() throws Exception {
        int port = start(PprofOptions.builder().maxConcurrentProfiles(1).build(), 30_000);
        assertThat(RawHttpClient.hangUpAfter(port, "/debug/pprof/heap?seconds=60", 1_500)).startsWith("HTTP/1.1 200");
        long hungUp = System.nanoTime();
        awaitProfilingThreads(0);
        assertThat(profilingThreads()).isEmpty();
        assertThat((System.nanoTime() - hungUp) / 1_000_000).as("milliseconds until the window ended")
                .isLessThan(1_500);
        // The one permitted profile is free again.
        assertThat(HttpTestClient.get("http://127.0.0.1:" + port + "/debug/pprof/heap?seconds=1").status())
                .isEqualTo(200);
    }

    /** Waits, a few seconds at most, until that many threads wait out a timed profile: a loaded machine starts slowly. */
    private static void awaitProfilingThreads(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (profilingThreads().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
