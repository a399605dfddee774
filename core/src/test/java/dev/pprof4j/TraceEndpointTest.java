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
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertAHangUpEndsTheTrace("Accept-Encoding: gzip\r\n", 0);
    }

    /** Without gzip the chunks written as they finish are the writes that notice a hang-up. */
    @Test
    void aClientWithoutGzipThatHangsUpEndsItsTraceToo() throws Exception {
        assertAHangUpEndsTheTrace("", 1_500);
    }

    private static void assertAHangUpEndsTheTrace(String headers, long hangUpAfterMillis) throws Exception {
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(1).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            URI origin = URI.create(server.origin());
            try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /debug/pprof/trace?seconds=600 HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long sent = System.nanoTime();
                InputStream in = socket.getInputStream();
                byte[] head = new byte[12];
                assertThat(in.readNBytes(head, 0, 12)).isEqualTo(12);
                assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
                assertThat(traceRecordings()).isEqualTo(1);
                Thread.sleep(Math.max(0, hangUpAfterMillis - (System.nanoTime() - sent) / 1_000_000));
            }
            long hungUp = System.nanoTime();
            while (traceRecordings() > 0 && System.nanoTime() - hungUp < 10_000_000_000L) {
                Thread.sleep(20);
            }
            long stoppedMillis = (System.nanoTime() - hungUp) / 1_000_000;
            assertThat(traceRecordings()).as("recordings left %d ms after the hang-up", stoppedMillis).isZero();
            System.out.println("trace (" + (headers.isEmpty() ? "identity" : "gzip") + ") ended " + stoppedMillis
                    + " ms after its client hung up");
            assertThat(stoppedMillis).as("time to notice the hang-up").isLessThan(2_500);
            // The permit is given back just after the recording is closed, which the loop above saw.
            int status = 0;
            for (long freed = System.nanoTime(); status != 200 && System.nanoTime() - freed < 1_000_000_000L; ) {
                status = HttpTestClient.get(server.origin() + "/debug/pprof/trace?seconds=0.2").status();
            }
            assertThat(status).as("the permit is free again").isEqualTo(200);
        }
    }

    /**
     * Without gzip the status comes at once and the recording follows chunk by
     * chunk; the chunks end to end are one recording, read whole by the JDK.
     */
    @Test
    void anIdentityTraceIsOneRecordingInSeveralChunks(@TempDir Path temp) throws Exception {
        Thread busy = new Thread(() -> {
            long x = 0;
            while (!Thread.currentThread().isInterrupted()) {
                x += Long.toString(x).hashCode();
            }
        }, "busy");
        busy.setDaemon(true);
        busy.start();
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            URI origin = URI.create(server.origin());
            Path file = temp.resolve("trace.jfr");
            long firstByteMillis;
            try (Socket socket = new Socket(origin.getHost(), origin.getPort())) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET /debug/pprof/trace?seconds=3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                long sent = System.nanoTime();
                InputStream in = socket.getInputStream();
                int first = in.read();
                firstByteMillis = (System.nanoTime() - sent) / 1_000_000;
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                raw.write(first);
                in.transferTo(raw);
                Files.write(file, dechunked(raw.toByteArray()));
            }
            assertThat(firstByteMillis).as("the status comes before the recording ends").isLessThan(1_500);
            List<Long> chunkSizes = chunkSizes(file);
            System.out.println("identity trace?seconds=3: " + Files.size(file) + " bytes in chunks of " + chunkSizes);
            assertThat(chunkSizes).hasSizeGreaterThanOrEqualTo(2);
            long samples = 0;
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    if (recording.readEvent().getEventType().getName().equals("jdk.ExecutionSample")) {
                        samples++;
                    }
                }
            }
            assertThat(samples).isPositive();
            Process jfr = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
                    "summary", file.toString()).redirectErrorStream(true).start();
            String summary = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(jfr.waitFor()).as(summary).isZero();
            assertThat(summary).contains("Chunks: " + chunkSizes.size()).contains("jdk.ExecutionSample");
        } finally {
            busy.interrupt();
        }
    }

    /** An HTTP/1.1 response's body, de-chunked. */
    private static byte[] dechunked(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\r\n\r\n") + 4;
        assertThat(text.substring(0, at)).startsWith("HTTP/1.1 200").containsIgnoringCase("transfer-encoding: chunked");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int lineEnd = text.indexOf("\r\n", at);
            int size = Integer.parseInt(text.substring(at, lineEnd).split(";")[0].trim(), 16);
            if (size == 0) {
                return body.toByteArray();
            }
            body.write(response, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    /** The sizes in each chunk header of a JFR file, which must add up to the file. */
    private static List<Long> chunkSizes(Path file) throws Exception {
        List<Long> sizes = new ArrayList<>();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            for (long at = 0; at < in.length(); at += sizes.get(sizes.size() - 1)) {
                in.seek(at);
                assertThat(in.readInt()).as("chunk magic at %d", at).isEqualTo(0x464c5200);
                in.seek(at + 8);
                sizes.add(in.readLong());
            }
            assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(in.length());
        }
        return sizes;
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
