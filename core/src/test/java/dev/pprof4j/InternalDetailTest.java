package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.pprof4j.testing.InternalDetail;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reliability suite's rule for error bodies finds what it looks for, and not pprof4j's own messages. */
class InternalDetailTest {

    @Test
    void findsClassNamesFramesAndPaths() {
        assertThat(InternalDetail.in("JDK Flight Recorder could not start: java.lang.IllegalStateException: x"))
                .isNotEmpty();
        assertThat(InternalDetail.in("failed: NoClassDefFoundError")).isNotEmpty();
        assertThat(InternalDetail.in("\tat dev.pprof4j.TraceEndpoint.record(TraceEndpoint.java:53)")).isNotEmpty();
        assertThat(InternalDetail.in("cannot write /tmp/pprof4j-trace123.jfr")).isNotEmpty();
        assertThat(InternalDetail.in("cannot write " + System.getProperty("java.io.tmpdir") + "/x")).isNotEmpty();
    }

    @Test
    void passesPprofsMessages() {
        PprofExchange remote = mock(PprofExchange.class);
        when(remote.remoteAddress()).thenReturn("203.0.113.9");
        String denied = new AccessPolicy(List.of(), List.of()).judge(remote).reason();
        for (String message : new String[] {denied, PprofHandler.INTERNAL_ERROR, "Unknown profile",
                "too many profiles in progress (at most 8 at once); try again later",
                "profile duration exceeds server's WriteTimeout",
                "invalid value for \"seconds\" - must be a positive integer",
                "JDK Flight Recorder is not available in this JVM", "<a href=\"/debug/pprof/\">Moved Permanently</a>."}) {
            assertThat(InternalDetail.in(message)).as(message).isEmpty();
        }
    }
}
