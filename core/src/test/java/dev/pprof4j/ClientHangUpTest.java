package dev.pprof4j;

import static dev.pprof4j.testing.ProfilingState.profilingThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.RawHttpClient;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * On the JDK's HTTP server, which answers on its own threads through
 * {@link PprofHandler#handle}, a client that hangs up on a delta ends it and
 * frees its permit at once, not when its window would have ended.
 */
class ClientHangUpTest {

    @Test
    void aClientThatHangsUpOnADeltaFreesItsPermitWithinASecond() throws Exception {
        try (PprofHandler handler = new PprofHandler(PprofOptions.builder().maxConcurrentProfiles(2).build());
                JdkHttpServer server = new JdkHttpServer(handler)) {
            String mount = server.origin() + "/debug/pprof";
            int port = URI.create(server.origin()).getPort();
            List<CompletableFuture<String>> clients = List.of(
                    hangUp(port, "/debug/pprof/heap?seconds=60", 1_500),
                    hangUp(port, "/debug/pprof/goroutine?seconds=60", 2_000));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (profilingThreads().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(HttpTestClient.get(mount + "/heap?seconds=1").status()).as("both permits held").isEqualTo(503);
            for (CompletableFuture<String> client : clients) {
                assertThat(client.get()).isEqualTo("HTTP/1.1 200 OK");
            }
            long hungUp = System.nanoTime();
            while (!profilingThreads().isEmpty() && System.nanoTime() - hungUp < 5_000_000_000L) {
                Thread.sleep(10);
            }
            long freedMillis = (System.nanoTime() - hungUp) / 1_000_000;
            assertThat(profilingThreads()).isEmpty();
            assertThat(freedMillis).as("milliseconds until the windows ended").isLessThan(1_500);
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> status(mount + "/heap?seconds=1"));
            assertThat(status(mount + "/allocs?seconds=1")).isEqualTo(200);
            assertThat(first.get()).isEqualTo(200);
        }
    }

    /** On a thread of its own: the common pool may have a single one. */
    private static CompletableFuture<String> hangUp(int port, String path, long millis) {
        CompletableFuture<String> status = new CompletableFuture<>();
        new Thread(() -> {
            try {
                status.complete(RawHttpClient.hangUpAfter(port, path, millis));
            } catch (Exception e) {
                status.completeExceptionally(e);
            }
        }).start();
        return status;
    }

    private static int status(String url) {
        try {
            return HttpTestClient.get(url).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
