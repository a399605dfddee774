package dev.pprof4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.CustomProfile;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.proto.ProfileProto;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of {@code /debug/pprof/}, as Go's net/http/pprof answers
 * (see the compatibility notes in docs/), checked over real HTTP and with the
 * real {@code go tool pprof}. Core runs it on the JDK's HTTP server; every
 * adapter runs it again on its own container, so an adapter cannot drift.
 * What a profile contains, which no container changes, core checks once
 * ({@code JdkHttpServerContractTest}).
 */
public abstract class PprofContract {

    protected static final String CUSTOM = "example.com/custom";
    /** Threads parked at {@link ParkedThreads#FUNCTION} while each test runs. */
    protected static final int PARKED = 3;

    private ParkedThreads parked;
    /** The mount point's URL without the trailing slash: {@code http://127.0.0.1:PORT/ctx/debug/pprof}. */
    protected String mount;

    /** Starts a server with {@code options} mounted; returns the mount point's URL without trailing slash. */
    protected abstract String start(PprofOptions options) throws Exception;

    protected abstract void stop() throws Exception;

    @BeforeEach
    void startServer() throws Exception {
        CustomProfile custom = new CustomProfile(CUSTOM);
        custom.add(new Object());
        mount = start(PprofOptions.builder().maxProfileDuration(Duration.ofSeconds(5)).profile(custom).build());
        parked = new ParkedThreads(PARKED);
    }

    @AfterEach
    void stopServer() throws Exception {
        parked.close();
        stop();
    }

    private String path() {
        return URI.create(mount).getRawPath();
    }

    // The index.
    @Test
    void indexListsEveryProfileSortedLikeGo() throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("text/html; charset=utf-8");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String page = reply.text();
        assertThat(page).startsWith("<html>\n<head>\n<title>/debug/pprof/</title>\n").endsWith("</html>");
        String go = goIndexPage();
        assertThat(page.substring(0, page.indexOf("<tr>"))).isEqualTo(go.substring(0, go.indexOf("<tr>")));
        assertThat(page.substring(page.indexOf("</table>"), page.indexOf("<li>")))
                .isEqualTo(go.substring(go.indexOf("</table>"), go.indexOf("<li>")));
        List<String> links = Pattern.compile("<a href='([^']*)\\?debug=1'>").matcher(page).results()
                .map(m -> m.group(1)).toList();
        assertThat(links).containsExactly("allocs", "block", "cmdline", CUSTOM, "goroutine", "goroutineleak", "heap",
                "mutex", "profile", "threadcreate", "trace");
        assertThat(page).contains("<tr><td>1</td><td><a href='example.com/custom?debug=1'>example.com/custom</a></td></tr>")
                .contains("<a href=\"goroutine?debug=2\">full goroutine stack dump</a>")
                .contains("<li><div class=profile-name>goroutine: </div> Stack traces of all current threads</li>")
                .contains("go tool pprof " + mount + "/goroutine\n");
        Matcher threads = Pattern.compile("<tr><td>(\\d+)</td><td><a href='goroutine").matcher(page);
        assertThat(threads.find()).isTrue();
        assertThat(Integer.parseInt(threads.group(1))).isGreaterThan(PARKED);
    }

    /** The viewer's files come from the mount point through every adapter, under their own strict policy. */
    @Test
    void theViewerIsServedBelowTheMountPoint() throws Exception {
        assertThat(HttpTestClient.get(mount + "/").text()).contains("<a href=\"ui/\">the viewer</a>");
        HttpTestClient.Reply page = HttpTestClient.get(mount + "/ui/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'");
        assertThat(page.text()).contains("<script src=\"viewer.js\"></script>");
        HttpTestClient.Reply script = HttpTestClient.get(mount + "/ui/viewer.js");
        assertThat(script.status()).isEqualTo(200);
        assertThat(contentType(script)).isEqualTo("text/javascript; charset=utf-8");
        assertThat(HttpTestClient.get(mount + "/ui/viewer.css").status()).isEqualTo(200);
        HttpTestClient.Reply redirect = HttpTestClient.get(mount + "/ui");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("ui/");
        assertThat(HttpTestClient.get(mount + "/ui?profile=heap&view=top").header("Location"))
                .isEqualTo("ui/?profile=heap&view=top");
        assertThat(HttpTestClient.get(mount + "/ui/secrets.txt").status()).isEqualTo(404);
    }

    @Test
    void mountPointWithoutSlashRedirectsToIt() throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(mount);
        assertThat(reply.status()).isEqualTo(301);
        assertThat(reply.header("Location")).isEqualTo(path() + "/");
        assertThat(contentType(reply)).isEqualTo("text/html; charset=utf-8");
        assertThat(reply.text()).isEqualTo("<a href=\"" + path() + "/\">Moved Permanently</a>.\n\n");
        HttpTestClient.Reply withQuery = HttpTestClient.get(mount + "?debug=1");
        assertThat(withQuery.header("Location")).isEqualTo(path() + "/?debug=1");
        assertThat(withQuery.text()).isEqualTo("<a href=\"" + path() + "/?debug=1\">Moved Permanently</a>.\n\n");
    }

    /** A client's mistake is never the server's: characters no URL may hold get a 4xx (or the redirect), not a 500. */
    @Test
    void malformedPathsAreNoServerError() throws Exception {
        URI url = URI.create(mount);
        for (String below : List.of("|", "^", "{", "}", "\"", "<x>", "\\", "`", "%zz", "%00", ";x|y", "/|", "/^",
                "/{", "/\"", "/heap|", "/%7C", "/goroutine?debug=1|", "/heap?seconds=%")) {
            int status = RawHttpClient.status(url.getPort(), url.getRawPath() + below);
            assertThat(status).as(below).isBetween(200, 499);
        }
    }

    @Test
    void unknownProfileIsGosNotFound() throws Exception {
        for (String name : List.of("nosuch", "goroutine/", "cmdline/", "profile/")) {
            HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + name);
            assertThat(reply.status()).as(name).isEqualTo(404);
            assertGoError(reply, "Unknown profile");
        }
    }

    @Test
    void headAnswersTheHeadersOfGet() throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.head(mount + "/goroutine");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("application/octet-stream");
        assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=\"goroutine\"");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.body()).isEmpty();

        HttpTestClient.Reply cmdlineHead = HttpTestClient.head(mount + "/cmdline");
        assertThat(cmdlineHead.header("Content-Length"))
                .isEqualTo(Integer.toString(HttpTestClient.get(mount + "/cmdline").body().length));
        assertThat(contentType(cmdlineHead)).isEqualTo("text/plain; charset=utf-8");
    }

    /** Waits until a request sleeps out a timed profile's window. */
    @Test
    void secondsIsValidatedInGosOrder() throws Exception {
        for (String profile : List.of("goroutine", "heap", "allocs")) {
            for (String seconds : List.of("abc", "0", "-1", "abc&debug=1")) {
                HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + profile + "?seconds=" + seconds);
                assertThat(reply.status()).as(profile + " " + seconds).isEqualTo(400);
                assertGoError(reply, "invalid value for \"seconds\" - must be a positive integer");
            }
            HttpTestClient.Reply incompatible = HttpTestClient.get(mount + "/" + profile + "?seconds=2&debug=1");
            assertThat(incompatible.status()).isEqualTo(400);
            assertGoError(incompatible, "seconds and debug params are incompatible");

            HttpTestClient.Reply tooLong = HttpTestClient.get(mount + "/" + profile + "?seconds=6");
            assertThat(tooLong.status()).isEqualTo(400);
            assertGoError(tooLong, "profile duration exceeds server's WriteTimeout");
        }

        HttpTestClient.Reply custom = HttpTestClient.get(mount + "/" + CUSTOM + "?seconds=1");
        assertThat(custom.status()).isEqualTo(400);
        assertGoError(custom, "\"seconds\" parameter is not supported for this profile type");

        assertThat(HttpTestClient.get(mount + "/goroutine?seconds=").header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"goroutine\"");
    }

    // Parameters from a form body too.
    @Test
    void formParametersAreHonoured() throws Exception {
        HttpTestClient.Reply text = HttpTestClient.post(mount + "/goroutine",
                "application/x-www-form-urlencoded", "debug=1");
        assertThat(text.text()).startsWith("goroutine profile: total ");
        HttpTestClient.Reply bodyWins = HttpTestClient.post(mount + "/goroutine?debug=1",
                "application/x-www-form-urlencoded", "debug=0");
        assertThat(contentType(bodyWins)).isEqualTo("application/octet-stream");
        HttpTestClient.Reply delta = HttpTestClient.post(mount + "/goroutine",
                "application/x-www-form-urlencoded", "seconds=1");
        assertThat(delta.header("Content-Disposition")).isEqualTo("attachment; filename=\"goroutine-delta\"");

        long start = System.nanoTime();
        HttpTestClient.Reply cpu = HttpTestClient.post(mount + "/profile", "application/x-www-form-urlencoded",
                "seconds=1");
        assertThat(cpu.status()).isEqualTo(200);
        assertThat(System.nanoTime() - start).isBetween(1_000_000_000L, 4_000_000_000L);
        assertThat(GoPprof.run("-raw", GoPprof.save(cpu.body(), "profile.pb.gz").toString()).stdout())
                .contains("Duration: 1.");
    }

    // A CPU profile through the client's own -seconds flag.
    @Test
    void goToolPprofTakesACpuProfile() throws Exception {
        GoPprof.Run top = GoPprof.run("-top", "-seconds", "2", mount + "/profile");
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.unexpectedStderr()).isEmpty();
        assertThat(top.stderr()).contains("/profile?seconds=2");
        assertThat(top.stdout()).contains("Type: cpu").containsPattern("Duration: 2(\\.\\d+)?s");

        // Something to sample: an idle server may spend less than one period of CPU in a second.
        AtomicBoolean stop = new AtomicBoolean();
        Thread busy = new Thread(() -> {
            long x = 0;
            while (!stop.get()) {
                x = x * 31 + System.nanoTime();
            }
        }, "busy");
        busy.start();
        HttpTestClient.Reply reply;
        try {
            reply = HttpTestClient.get(mount + "/profile?seconds=1");
        } finally {
            stop.set(true);
            busy.join();
        }
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("application/octet-stream");
        assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=\"profile\"");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        RawProfile raw = RawProfile.parse(GoPprof.run("-raw", GoPprof.save(reply.body(), "cpu.pb.gz").toString())
                .stdout());
        assertThat(raw.periodType()).isEqualTo("cpu nanoseconds");
        assertThat(raw.period()).isEqualTo(10_000_000L);
        assertThat(raw.sampleTypes()).containsExactly("samples/count", "cpu/nanoseconds");
        assertThat(raw.samples()).isNotEmpty().allSatisfy(sample ->
                assertThat(sample.values()[1]).isEqualTo(sample.values()[0] * raw.period()));
    }

    // Seconds parsed as Go does, and a second profile at once is served (Go refuses it).
    @Test
    void cpuProfileSecondsFollowGoAndProfilesMayOverlap() throws Exception {
        // Missing or unparsable means 30 s, beyond this server's 5 s limit: refused before profiling.
        for (String query : List.of("", "?seconds=abc", "?seconds=0", "?seconds=-1", "?seconds=6")) {
            HttpTestClient.Reply reply = HttpTestClient.get(mount + "/profile" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertGoError(reply, "profile duration exceeds server's WriteTimeout");
        }
        CompletableFuture<HttpTestClient.Reply> first =
                CompletableFuture.supplyAsync(() -> {
                    try {
                        return HttpTestClient.get(mount + "/profile?seconds=2");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        HttpTestClient.Reply second = HttpTestClient.get(mount + "/profile?seconds=2");
        assertThat(second.status()).isEqualTo(200);
        assertThat(first.get().status()).isEqualTo(200);
    }

    @Test
    void cmdlineIsNulSeparatedWithoutTrailingSeparator() throws Exception {
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/cmdline");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("text/plain; charset=utf-8");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        String cmdline = reply.text();
        List<String> argv = List.of(cmdline.split("\0"));
        assertThat(argv.get(0)).endsWith("java");
        assertThat(argv).containsAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.contains("=")).toList());
        assertThat(cmdline).doesNotEndWith("\0").doesNotEndWith("\n");
        // The build puts a secret on the test JVM's command line.
        assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).contains("-Dpprof4j.test.password=hunter2");
        assertThat(argv).contains("-Dpprof4j.test.password=******");
        assertThat(cmdline).doesNotContain("hunter2");
    }

    @Test
    void symbolResolvesTheAddressesOfTextProfiles() throws Exception {
        HttpTestClient.Reply empty = HttpTestClient.get(mount + "/symbol");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(contentType(empty)).isEqualTo("text/plain; charset=utf-8");
        assertThat(empty.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(empty.text()).isEqualTo("num_symbols: 1\n");

        String text = HttpTestClient.get(mount + "/goroutine?debug=1").text();
        Matcher frame = Pattern.compile("(?m)^#\t(0x[0-9a-f]+)\t" + Pattern.quote(ParkedThreads.FUNCTION) + "\t")
                .matcher(text);
        assertThat(frame.find()).isTrue();
        String address = frame.group(1);
        String expected = "num_symbols: 1\n" + address + " " + ParkedThreads.FUNCTION + "\n";
        assertThat(HttpTestClient.post(mount + "/symbol", "application/octet-stream",
                "0x1+" + address + "+zzz+").text()).isEqualTo(expected);
        assertThat(HttpTestClient.get(mount + "/symbol?" + address + "+0x2").text()).isEqualTo(expected);
    }

    // Errors reach the user as Go's do; deltas work from the client.
    @Test
    void goToolPprofShowsErrorsAndTakesDeltas() throws Exception {
        GoPprof.Run nosuch = GoPprof.run("-top", mount + "/nosuch");
        assertThat(nosuch.exitCode()).isNotZero();
        // Tomcat sends no reason phrase ("404 "), which the client prints as it gets it.
        assertThat(nosuch.stderr()).containsPattern("server response: 404 (Not Found)? - Unknown profile");

        GoPprof.Run invalid = GoPprof.run("-top", mount + "/goroutine?seconds=abc");
        assertThat(invalid.exitCode()).isNotZero();
        assertThat(invalid.stderr()).containsPattern(
                "server response: 400 (Bad Request)? - invalid value for \"seconds\" - must be a positive integer");

        GoPprof.Run delta = GoPprof.run("-raw", "-seconds", "1", mount + "/goroutine");
        assertThat(delta.exitCode()).as(delta.stderr()).isZero();
        assertThat(delta.unexpectedStderr()).isEmpty();
        assertThat(delta.stdout()).contains("Duration: 1");
    }

    // trace: a JFR recording of the window, which the JDK's own jfr tool reads.
    @Test
    void traceIsAFlightRecordingOfTheWindow() throws Exception {
        Thread busy = new Thread(() -> {
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                sink = Math.sqrt(System.nanoTime());
            }
        }, "pprof4j-busy");
        busy.start();
        HttpTestClient.Reply reply = HttpTestClient.get(mount + "/trace?seconds=2");
        busy.join();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(contentType(reply)).isEqualTo("application/octet-stream");
        assertThat(reply.header("Content-Disposition")).isEqualTo("attachment; filename=\"trace.jfr\"");
        assertThat(new String(reply.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
        Path saved = GoPprof.save(reply.body(), "trace.jfr");
        Process jfr = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
                "summary", saved.toString()).redirectErrorStream(true).start();
        String summary = new String(jfr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(jfr.waitFor()).as(summary).isZero();
        Matcher samples = Pattern.compile("jdk\\.ExecutionSample\\s+(\\d+)").matcher(summary);
        assertThat(samples.find()).as(summary).isTrue();
        assertThat(Long.parseLong(samples.group(1))).isPositive();

        HttpTestClient.Reply tooLong = HttpTestClient.get(mount + "/trace?seconds=5.5");
        assertThat(tooLong.status()).isEqualTo(400);
        assertGoError(tooLong, "profile duration exceeds server's WriteTimeout");
    }

    private static volatile Object sink;

    /** The body of Go's own index page, captured from Go 1.19's net/http/pprof. */
    private static String goIndexPage() throws IOException {
        try (var in = PprofContract.class.getResourceAsStream("/go-captures/index.txt")) {
            String capture = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return capture.substring(capture.indexOf("<html>"));
        }
    }

    public static ProfileProto.Profile parse(byte[] gzipped) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return ProfileProto.Profile.parseFrom(in);
        }
    }

    /** Values of the samples whose stack has a function of that name. */
    public static List<Long> samplesWith(ProfileProto.Profile profile, String function) {
        return profile.getSampleList().stream()
                .filter(sample -> sample.getLocationIdList().stream().anyMatch(id ->
                        functionName(profile, id).equals(function)))
                .map(sample -> sample.getValue(0))
                .toList();
    }

    protected static String functionName(ProfileProto.Profile profile, long locationId) {
        ProfileProto.Location location = profile.getLocationList().stream()
                .filter(l -> l.getId() == locationId).findFirst().orElseThrow();
        long functionId = location.getLine(0).getFunctionId();
        ProfileProto.Function function = profile.getFunctionList().stream()
                .filter(f -> f.getId() == functionId).findFirst().orElseThrow();
        return profile.getStringTable((int) function.getName());
    }

    /**
     * The media type as a client reads it: containers differ only in the
     * optional space after ';' (Jetty and Tomcat write {@code text/plain;charset=utf-8}).
     */
    protected static String contentType(HttpTestClient.Reply reply) {
        String type = reply.header("Content-Type");
        return type == null ? null : type.replaceAll(";\\s*", "; ").toLowerCase(java.util.Locale.ROOT);
    }

    private static void assertGoError(HttpTestClient.Reply reply, String message) {
        assertThat(contentType(reply)).isEqualTo("text/plain; charset=utf-8");
        assertThat(reply.header("X-Go-Pprof")).isEqualTo("1");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.header("Content-Disposition")).isNull();
        assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo(message + "\n");
    }
}
