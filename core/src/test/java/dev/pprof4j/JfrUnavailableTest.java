package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.JfrUnavailableChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In a JVM whose Flight Recorder cannot record, JFR's profiles say so with a
 * 503 and the rest works, also where samplers were started before the handler.
 */
class JfrUnavailableTest {

    @Test
    void jfrProfilesAnswer503AndTheOthersWork() throws Exception {
        try (ChildJvm server = ChildJvm.start(List.of("-XX:-FlightRecorder"), Server.class)) {
            String mount = server.origin() + "/debug/pprof";
            assertThat(JfrUnavailableChecks.run(mount)).allSatisfy(result ->
                    assertThat(result.problem()).as(result.request()).isNull());
            assertThat(HttpTestClient.get(mount + "/heap").text())
                    .isEqualTo("JDK Flight Recorder is not available in this JVM\n");
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
        try (ChildJvm child = ChildJvm.start(List.of("-Djava.io.tmpdir=/proc/nonexistent"), Server.class)) {
            for (int i = 0; i < 3; i++) {
                for (String name : List.of("heap", "allocs?seconds=1", "mutex", "profile?seconds=1")) {
                    HttpTestClient.Reply reply = HttpTestClient.get(child.origin() + "/debug/pprof/" + name);
                    assertThat(reply.status()).as(name).isEqualTo(503);
                    assertThat(reply.text()).as(name)
                            .isEqualTo("JDK Flight Recorder could not start; the server log says why\n");
                }
            }
            assertThat(HttpTestClient.get(child.origin() + "/debug/pprof/goroutine?debug=1").status())
                    .isEqualTo(200);
            log = child.stop();
        }
        assertThat(log).noneMatch(line -> line.startsWith("\tat "));
        assertThat(log.stream().filter(line -> line.contains(" WARN dev.pprof4j.")).toList()).as(String.join("\n", log))
                .hasSizeLessThanOrEqualTo(2)
                .allMatch(line -> line.contains("/proc/nonexistent"));
    }

    /** The handler on the JDK's HTTP server, in the child JVM, given samplers started before it, as the starter does. */
    public static final class Server {
        public static void main(String[] args) throws Exception {
            PprofSamplers early = PprofSamplers.start(PprofOptions.defaults());
            JdkHttpServer server = new JdkHttpServer(new PprofHandler(PprofOptions.defaults(), early));
            ChildJvm.ready(server.origin());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
