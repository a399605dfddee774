package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A profile waits until JFR has delivered everything recorded before the
 * request, also when the stream's subscribers changed meanwhile.
 */
class SharedRecordingStreamTest {

    @Test
    void aHandlerCreatedAfterAnotherSubscriptionEndedStillReceivesEvents() throws Exception {
        // The first handler keeps the stream open across the release, as a long-lived application's does.
        try (PprofHandler first = new PprofHandler()) {
            assertThat(first.awaitSampling(Duration.ofSeconds(10))).isTrue();
            SharedRecordingStream.Subscription ended = SharedRecordingStream.subscribe("jdk.JavaMonitorInflate",
                    e -> { }, () -> { });
            Thread.sleep(1_500);
            SharedRecordingStream.release(ended);
            try (PprofHandler later = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(later)) {
                assertThat(later.awaitSampling(Duration.ofSeconds(10))).isTrue();
                Thread thread = new Thread(() -> { }, "started-later");
                thread.start();
                thread.join();
                assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/threadcreate?debug=1").text())
                        .contains(getClass().getName() + ".aHandlerCreatedAfterAnotherSubscriptionEndedStillReceivesEvents");
            }
        }
    }
}
