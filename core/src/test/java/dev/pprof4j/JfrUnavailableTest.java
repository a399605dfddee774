package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.JfrUnavailableChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In a JVM whose Flight Recorder is switched off, JFR's profiles say so with a 503 and the rest works. */
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

    /** The handler on the JDK's HTTP server, in the child JVM. */
    public static final class Server {
        public static void main(String[] args) throws Exception {
            JdkHttpServer server = new JdkHttpServer(new PprofHandler());
            ChildJvm.ready(server.origin());
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
