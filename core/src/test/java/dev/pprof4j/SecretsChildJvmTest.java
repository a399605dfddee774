package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM started with the corpus's secrets in its environment, its
 * {@code -D} properties, its JVM and program arguments (and, for the
 * thread dump, its thread names): {@code cmdline}, {@code goroutine?debug=2}
 * and {@code trace} (read by the JDK's own {@code jfr print}, and as raw
 * bytes) show none of them, with and without another recording running.
 */
class SecretsChildJvmTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path temp;

    @Test
    void cmdlineAndThreadDumpShowNoSecret() throws Exception {
        try (ChildJvm child = child(List.of("-Dpprof4j.test.threads=true"))) {
            String cmdline = HttpTestClient.get(child.origin() + "/debug/pprof/cmdline").text();
            assertThat(cmdline).contains(Server.class.getName()).contains("-Ddb.password=******");
            assertNoSecret("cmdline", cmdline);
            String dump = HttpTestClient.get(child.origin() + "/debug/pprof/goroutine?debug=2").text();
            assertThat(dump).contains("\"secret-thread-0 ");
            assertNoSecret("goroutine?debug=2", dump);
        }
    }

    @Test
    void traceCarriesNoSecretPlainOrGzip() throws Exception {
        try (ChildJvm child = child(List.of())) {
            HttpResponse<byte[]> plain = trace(child, false);
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
            assertTraceHasNoSecret(plain.body(), "plain");
            HttpResponse<byte[]> gzip = trace(child, true);
            assertThat(gzip.statusCode()).isEqualTo(200);
            assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertTraceHasNoSecret(new GZIPInputStream(new ByteArrayInputStream(gzip.body())).readAllBytes(), "gzip");
        }
    }

    /** JFR's repository is shared: what another recording enables reaches a dump unless it is filtered. */
    @Test
    void anotherRecordingWithDefaultSettingsLeaksNothing() throws Exception {
        try (ChildJvm child = child(List.of("-XX:StartFlightRecording"))) {
            for (boolean gzip : new boolean[] {false, true}) {
                HttpResponse<byte[]> reply = trace(child, gzip);
                if (Runtime.version().feature() >= 19) {
                    assertThat(reply.statusCode()).isEqualTo(200);
                    byte[] body = gzip ? new GZIPInputStream(new ByteArrayInputStream(reply.body())).readAllBytes()
                            : reply.body();
                    assertTraceHasNoSecret(body, "with another recording, gzip " + gzip);
                } else {
                    assertThat(reply.statusCode()).isEqualTo(503);
                    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
                            .isEqualTo(TraceRecording.OTHER_RECORDING + "\n");
                }
            }
        }
    }

    private static HttpResponse<byte[]> trace(ChildJvm child, boolean gzip) throws IOException, InterruptedException {
        // Three seconds without gzip: the recording comes in several chunks, each filtered on its own.
        String seconds = gzip ? "1" : "3";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(child.origin() + "/debug/pprof/trace?seconds=" + seconds))
                .timeout(Duration.ofSeconds(60));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertTraceHasNoSecret(byte[] recording, String what) throws Exception {
        assertThat(new String(recording, 0, 3, StandardCharsets.US_ASCII)).as(what).isEqualTo("FLR");
        Path file = Files.write(temp.resolve("trace-" + what.replaceAll("\\W", "-") + ".jfr"), recording);
        Process jfr = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
                "print", file.toString()).redirectErrorStream(true).start();
        String printed = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jfr.waitFor()).as(what).isZero();
        // Proof that the print is of a real recording, and that the child's secrets were there to leak.
        assertThat(printed).as(what).contains("jdk.ActiveRecording {");
        for (String event : TraceRecording.LEFT_OUT) {
            assertThat(printed).as(what).doesNotContain(event + " {");
        }
        assertNoSecret("jfr print of the trace, " + what, printed);
        // Strings JFR writes are ASCII bytes for ASCII text: none may be anywhere in the file.
        assertNoSecret("the trace's bytes, " + what, new String(recording, StandardCharsets.ISO_8859_1));
    }

    private static void assertNoSecret(String where, String text) throws IOException {
        List<String> secrets = secrets();
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(40);
        for (String secret : secrets) {
            assertThat(text).as("%s shows %s", where, secret).doesNotContain(secret);
        }
    }

    /** Every secret of the corpus. */
    static List<String> secrets() throws IOException {
        List<String> secrets = new ArrayList<>();
        for (RedactionTest.Case c : RedactionTest.corpus()) {
            secrets.addAll(c.gone());
        }
        return secrets;
    }

    /** The corpus's arguments that hold secrets, as the child's program arguments. */
    static List<String> secretArguments() throws IOException {
        List<String> arguments = new ArrayList<>();
        for (RedactionTest.Case c : RedactionTest.corpus()) {
            if (c.unchanged()) {
                continue;
            }
            List<String> argv = c.arguments();
            // argv cases start with their program (app, keytool, java): the child's own main class stands for it.
            arguments.addAll(c.asText() ? argv : argv.subList(1, argv.size()));
        }
        return arguments;
    }

    /** The corpus's -D arguments, as the child's JVM options. */
    static List<String> secretProperties() throws IOException {
        return secretArguments().stream().filter(a -> a.startsWith("-D") && a.contains("=")).toList();
    }

    /** A child JVM serving pprof4j with secrets everywhere it was started with. */
    private static ChildJvm child(List<String> jvmOptions) throws IOException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(secretProperties());
        options.add("-Dsecret.jvm.token=jvmT0kenValue");
        return ChildJvm.start(options, Server.class, secretArguments(), Map.of(
                "DB_PASSWORD", "envs3cret",
                "GITHUB_TOKEN", "ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7d",
                "SPRING_DATASOURCE_URL", "jdbc:postgresql://app:urlpw@db:5432/app",
                "PLAIN_LOOKING", "AKIAIOSFODNN7EXAMPLE"));
    }

    /** The child: pprof4j on the JDK's HTTP server; threads named after the corpus's secrets on request. */
    public static final class Server {
        public static void main(String[] args) throws Exception {
            if (Boolean.getBoolean("pprof4j.test.threads")) {
                int n = 0;
                for (RedactionTest.Case c : RedactionTest.corpus()) {
                    if (c.asText() && !c.unchanged()) {
                        Thread thread = new Thread(() -> sleepForever(), "secret-thread-" + n++ + " "
                                + String.join(" ", c.arguments()));
                        thread.setDaemon(true);
                        thread.start();
                    }
                }
            }
            JdkHttpServer server = new JdkHttpServer(new PprofHandler());
            ChildJvm.ready(server.origin());
            sleepForever();
        }

        private static void sleepForever() {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
