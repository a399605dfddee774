package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** In a JVM whose Flight Recorder is switched off, JFR's profiles say so with a 503 and the rest works. */
class JfrUnavailableTest {

    @Test
    void jfrProfilesAnswer503AndTheOthersWork() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process server = new ProcessBuilder(List.of(java, "-XX:-FlightRecorder", "-cp",
                System.getProperty("java.class.path"), Server.class.getName()))
                .redirectErrorStream(true).start();
        try {
            String origin = origin(server);
            for (String name : List.of("heap", "allocs", "heap?debug=1", "allocs?seconds=1", "threadcreate", "trace", "mutex", "block?debug=1", "profile?seconds=1")) {
                HttpTestClient.Reply reply = HttpTestClient.get(origin + "/debug/pprof/" + name);
                assertThat(reply.status()).as(name).isEqualTo(503);
                assertThat(reply.text()).as(name).isEqualTo("JDK Flight Recorder is not available in this JVM\n");
            }
            assertThat(HttpTestClient.get(origin + "/debug/pprof/goroutine?debug=1").status()).isEqualTo(200);
            assertThat(HttpTestClient.get(origin + "/debug/pprof/").text()).contains("heap?debug=1");
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
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
