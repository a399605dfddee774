package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.Test;

class TraceEndpointTest {

    @Test
    void keepAlivesDecompressToNothing() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        GzipKeepAlive gzip = new GzipKeepAlive(body);
        gzip.keepAlive();
        gzip.keepAlive();
        byte[] content = "FLR\0 the recording".repeat(1000).getBytes(StandardCharsets.UTF_8);
        gzip.finish(new ByteArrayInputStream(content));
        assertThat(new GZIPInputStream(new ByteArrayInputStream(body.toByteArray())).readAllBytes())
                .isEqualTo(content);
    }

    @Test
    void acceptEncodingIsReadAsHttpSaysIt() {
        assertThat(TraceEndpoint.acceptsGzip("gzip")).isTrue();
        assertThat(TraceEndpoint.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(TraceEndpoint.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(TraceEndpoint.acceptsGzip("br, deflate")).isFalse();
        assertThat(TraceEndpoint.acceptsGzip(null)).isFalse();
    }

    /** A gzip client that hangs up ends the recording and frees its permit within a second or so. */
    @Test
    void aClientThatHangsUpEndsItsTrace() throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            URI origin = URI.create(server.origin());
            try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /debug/pprof/trace?seconds=600 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] head = new byte[12];
                assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                assertThat(traceRecordings()).isEqualTo(1);
            }
            long hungUp = System.nanoTime();
            while (traceRecordings() > 0 && System.nanoTime() - hungUp < 10_000_000_000L) {
                Thread.sleep(20);
            }
            long stoppedMillis = (System.nanoTime() - hungUp) / 1_000_000;
            assertThat(traceRecordings()).as("recordings left %d ms after the hang-up", stoppedMillis).isZero();
            System.out.println("trace ended " + stoppedMillis + " ms after its client hung up");
            assertThat(HttpTestClient.get(server.origin() + "/debug/pprof/trace?seconds=0.2").status())
                    .as("the permit is free again").isEqualTo(200);
        }
    }

    private static long traceRecordings() {
        return FlightRecorder.getFlightRecorder().getRecordings().stream()
                .filter(r -> "pprof4j trace".equals(r.getName())).count();
    }

    @Test
    void filesOfEndedProcessesAreDeletedAndOthersKept() throws Exception {
        Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-version").redirectErrorStream(true).start();
        ended.getInputStream().readAllBytes();
        assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path stale = Files.createTempFile(tmp, "pprof4j-trace-" + ended.pid() + "-", ".jfr");
        Path live = Files.createTempFile(tmp, "pprof4j-trace-" + ProcessHandle.current().pid() + "-", ".jfr");
        try {
            TraceRecording.deleteFilesOfEndedProcesses();
            assertThat(stale).doesNotExist();
            assertThat(live).exists();
        } finally {
            Files.deleteIfExists(stale);
            Files.deleteIfExists(live);
        }
    }

    /** A runtime without the jdk.jfr module: trace answers 503 with the reason, no linkage error. */
    @Test
    void withoutTheJfrModuleTraceAnswers503() throws Exception {
        try (ChildJvm server = ChildJvm.start(List.of("--limit-modules",
                "java.base,java.management,java.logging,jdk.httpserver,java.net.http"), JfrUnavailableTest.Server.class)) {
            String origin = server.origin();
            HttpTestClient.Reply reply = HttpTestClient.get(origin + "/debug/pprof/trace?seconds=0.1");
            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.text()).isEqualTo(TraceEndpoint.NOT_IN_RUNTIME + "\n");
            assertThat(HttpTestClient.get(origin + "/debug/pprof/cmdline").status()).isEqualTo(200);
        }
    }
}
