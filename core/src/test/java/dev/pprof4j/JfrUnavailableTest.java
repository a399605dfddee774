package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** In a JVM whose Flight Recorder cannot record, JFR's profiles say so with a 503 and the rest works. */
class JfrUnavailableTest {

    @Test
    void jfrProfilesAnswer503AndTheOthersWork() throws Exception {
        try (Child child = new Child("-XX:-FlightRecorder")) {
            for (String name : List.of("heap", "allocs", "heap?debug=1", "allocs?seconds=1", "threadcreate", "trace", "mutex", "block?debug=1", "profile?seconds=1")) {
                HttpTestClient.Reply reply = HttpTestClient.get(child.origin + "/debug/pprof/" + name);
                assertThat(reply.status()).as(name).isEqualTo(503);
                assertThat(reply.text()).as(name).isEqualTo("JDK Flight Recorder is not available in this JVM\n");
            }
            assertThat(HttpTestClient.get(child.origin + "/debug/pprof/goroutine?debug=1").status()).isEqualTo(200);
            assertThat(HttpTestClient.get(child.origin + "/debug/pprof/").text()).contains("heap?debug=1");
        }
    }

    /**
     * JFR is there but cannot start: its repository, in the temporary
     * directory, cannot be created. Every JFR profile answers 503 with no
     * class name or path, and the reason is logged once, without a stack trace.
     */
    @Test
    void jfrThatCannotStartAnswers503AndIsLoggedOnce() throws Exception {
        List<String> log;
        try (Child child = new Child("-Djava.io.tmpdir=/proc/nonexistent")) {
            for (int i = 0; i < 3; i++) {
                for (String name : List.of("heap", "allocs?seconds=1", "mutex", "profile?seconds=1")) {
                    HttpTestClient.Reply reply = HttpTestClient.get(child.origin + "/debug/pprof/" + name);
                    assertThat(reply.status()).as(name).isEqualTo(503);
                    assertThat(reply.text()).as(name)
                            .isEqualTo("JDK Flight Recorder could not start; the server log says why\n");
                }
            }
            assertThat(HttpTestClient.get(child.origin + "/debug/pprof/goroutine?debug=1").status()).isEqualTo(200);
            log = child.stop();
        }
        assertThat(log).noneMatch(line -> line.startsWith("\tat "));
        assertThat(log.stream().filter(line -> line.contains(" WARN dev.pprof4j.")).toList()).as(String.join("\n", log))
                .hasSizeLessThanOrEqualTo(2)
                .allMatch(line -> line.contains("/proc/nonexistent"));
    }

    /** A child JVM serving a handler, with these options; what it writes is kept. */
    private static final class Child implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;
        final String origin;

        Child(String... jvmOptions) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
            command.addAll(List.of(jvmOptions));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Server.class.getName()));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> listening = new CompletableFuture<>();
            reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                        if (line.startsWith("listening on ")) {
                            listening.complete(line.substring("listening on ".length()));
                        }
                    }
                } catch (IOException e) {
                    // The child has gone.
                }
                listening.complete(null);
            });
            reader.start();
            String address;
            try {
                address = listening.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                address = null;
            }
            origin = address;
            assertThat(origin).as("the server's address, in " + lines).isNotNull();
        }

        /** Stops the child and returns everything it wrote. */
        List<String> stop() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
            return List.copyOf(lines);
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }

    /** The child's address, once it says it listens; its output is drained after. */
    static String origin(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("listening on ")) {
                Thread drain = new Thread(() -> {
                    try {
                        out.transferTo(Writer.nullWriter());
                    } catch (IOException e) {
                        // The child has ended.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return line.substring("listening on ".length());
            }
        }
        throw new IllegalStateException("the child JVM ended before it listened");
    }

    /** The handler on the JDK's HTTP server, in the child JVM. */
    public static final class Server {
        public static void main(String[] args) throws Exception {
            JdkHttpServer server = new JdkHttpServer(new PprofHandler());
            System.out.println("listening on " + server.origin());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
