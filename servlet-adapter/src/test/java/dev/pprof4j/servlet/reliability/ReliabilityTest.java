package dev.pprof4j.servlet.reliability;

import static dev.pprof4j.testing.ProfilingState.busyPprofThreads;
import static dev.pprof4j.testing.ProfilingState.recordings;

import dev.pprof4j.CustomProfile;
import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.servlet.PprofServlet;
import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.InternalDetail;
import dev.pprof4j.testing.JfrUnavailableChecks;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * pprof4j as it runs in a service (Jetty 12, {@link PprofServlet} async, the
 * application on the same server, every client on 127.0.0.1), under what
 * production does to it: many profile clients beside the application's
 * traffic, malformed and hostile requests, clients that hang up mid-profile,
 * handlers created and closed again and again, a JVM without Flight
 * Recorder. Each part prints its figures (lines starting with
 * {@code [reliability]}, copied into docs/reliability.md) and fails at its end
 * if any of its checks failed. Every loop is bounded: about three minutes in all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityTest {

    static final int PROFILE_CLIENTS = 50;
    static final Duration BASELINE = Duration.ofSeconds(15);
    static final Duration UNDER_PROFILING = Duration.ofSeconds(60);
    static final int FUZZ_CASES = 2_000;
    static final long DEFAULT_FUZZ_SEED = 20_110_011L;
    static final int FUZZ_CLIENTS = 8;
    static final List<String> TIMED = List.of("profile", "trace", "heap", "allocs", "goroutine", "mutex", "block",
            "threadcreate");
    /** The hang-ups' requests: every timed endpoint, and a trace for a client that accepts gzip and one that does not. */
    static final Map<String, String> HANG_UP_HEADERS = Map.of("trace (gzip)", "Accept-Encoding: gzip");
    static final int HANG_UPS = 20;
    static final int HANG_UPS_AT_ONCE = 10;
    static final int HANG_UP_SECONDS = 6;
    /** What "at once" allows for on a loaded machine; the window runs on for {@link #HANG_UP_SECONDS}. */
    static final long RELEASE_LIMIT_MILLIS = 3_000;
    /** How long the hung-up requests' statuses may take to come, all of them: a heap snapshot waits for JFR. */
    static final long STATUS_LIMIT_MILLIS = 4_000;
    static final int CYCLES = 200;
    static final long HEAP_GROWTH_LIMIT = 8L * 1024 * 1024;

    @Test
    @Order(1)
    void fiftyProfileClientsBesideTheApplicationsOwnTraffic() throws Exception {
        Report report = new Report("load");
        try (ReliabilityServer server = new ReliabilityServer(PprofOptions.defaults())) {
            HttpClient application = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpClient profiles = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            // Warm up both sides: class loading and JIT are not what this measures.
            ApplicationTraffic.run(application, server.application(), Duration.ofSeconds(3));
            ProfileClients.run(profiles, server.mount(), 2, Duration.ofSeconds(3));

            ApplicationTraffic.Result alone = ApplicationTraffic.run(application, server.application(), BASELINE);
            report.figure("application alone, " + BASELINE.toSeconds() + " s", alone.latencies());

            ProfileClients.Tally[] tally = new ProfileClients.Tally[1];
            Thread clients = new Thread(() -> {
                try {
                    tally[0] = ProfileClients.run(profiles, server.mount(), PROFILE_CLIENTS, UNDER_PROFILING);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "profile-clients");
            clients.start();
            ApplicationTraffic.Result beside = ApplicationTraffic.run(application, server.application(),
                    UNDER_PROFILING);
            clients.join();
            ProfileClients.Tally profiled = tally[0];

            report.figure("application beside " + PROFILE_CLIENTS + " profile clients, "
                    + UNDER_PROFILING.toSeconds() + " s", beside.latencies());
            report.figure("profile requests answered", profiled.requests.get() + ": "
                    + profiled.count(ProfileClients.OK) + " profiles, "
                    + profiled.count(ProfileClients.TOO_MANY_PROFILES) + " \"too many profiles\" (503), "
                    + profiled.count(ProfileClients.TOO_MANY_REQUESTS) + " \"too many pprof requests\" (503), "
                    + profiled.count(ProfileClients.CPU_IN_USE) + " \"cpu profiling already in use\" (500)");
            profiled.table().forEach((label, kinds) -> report.figure("  " + label, kinds));
            report.check("no failed application request", alone.failed() == 0 && beside.failed() == 0,
                    alone.failed() + " alone, " + beside.failed() + " beside the profile clients"
                            + (beside.firstFailures().isEmpty() ? "" : ", first: " + beside.firstFailures()));
            report.check("every profile answer a profile or a documented limit", profiled.unexpected.get() == 0,
                    profiled.unexpected.get() + " others" + (profiled.firstUnexpected.isEmpty() ? ""
                            : ", first: " + profiled.firstUnexpected));
            List<String> neverServed = ProfileClients.CYCLE.stream().map(ProfileClients.Request::label)
                    .filter(label -> profiled.table().getOrDefault(label, Map.of())
                            .getOrDefault(ProfileClients.OK, 0L) == 0)
                    .toList();
            report.check("every endpoint served at least once under load", neverServed.isEmpty(),
                    neverServed.isEmpty() ? ProfileClients.CYCLE.size() + " endpoints" : "never: " + neverServed);
            report.check("pprof4j idle again once the clients stopped", awaitIdle(List.of(), 10_000),
                    "busy: " + busyPprofThreads());
        }
        report.assertPassed();
    }

    @Test
    @Order(2)
    void fuzzedRequestsGetNo5xxBeyondTheDocumentedLimitsAndRevealNothing() throws Exception {
        long seed = Long.getLong("pprof4j.fuzz.seed", DEFAULT_FUZZ_SEED);
        Integer only = Integer.getInteger("pprof4j.fuzz.case");
        Report report = new Report("fuzz");
        report.figure("seed", seed + " (replay: -Dpprof4j.fuzz.seed=" + seed
                + " [-Dpprof4j.fuzz.case=N] -Dtest=ReliabilityTest#fuzz*)");
        CustomProfile custom = new CustomProfile(RequestFuzzer.CUSTOM_PROFILE);
        custom.add(new Object());
        // Windows of a second at most: a fuzzed "seconds" beyond it is refused, as it would be beyond 10 minutes.
        PprofOptions options = PprofOptions.builder().maxProfileDuration(Duration.ofSeconds(1)).profile(custom).build();
        RequestFuzzer fuzzer = new RequestFuzzer(seed);
        Map<Integer, LongAdder> statuses = new TreeMap<>();
        Map<Integer, LongAdder> statusesByPprof = new TreeMap<>();
        List<String> forbidden5xx = new ArrayList<>();
        Map<String, Integer> forbidden5xxByAnswer = new TreeMap<>();
        List<String> revealing = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        AtomicLong stackFramesLogged = new AtomicLong();
        AtomicLong containersUnknownMethods = new AtomicLong();
        PrintStream err = System.err;
        long start = System.nanoTime();
        try (ReliabilityServer server = new ReliabilityServer(options)) {
            System.setErr(new PrintStream(new FrameCounter(err, stackFramesLogged), true, StandardCharsets.UTF_8));
            AtomicInteger next = new AtomicInteger(only == null ? 0 : only);
            int last = only == null ? FUZZ_CASES : only + 1;
            ExecutorService clients = Executors.newFixedThreadPool(FUZZ_CLIENTS);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < FUZZ_CLIENTS; i++) {
                done.add(clients.submit(() -> {
                    for (int number = next.getAndIncrement(); number < last; number = next.getAndIncrement()) {
                        RequestFuzzer.Case fuzzed = fuzzer.next(number, server.port());
                        RawHttp.Reply reply;
                        try {
                            reply = RawHttp.exchange(server.port(), fuzzed.bytes(), 15_000);
                        } catch (IOException e) {
                            note(unanswered, fuzzed.describe() + " -> " + e);
                            continue;
                        }
                        boolean fromPprof = reply.headers().containsKey("x-go-pprof")
                                || reply.headers().containsKey("content-disposition")
                                || reply.headers().containsKey("location")
                                || reply.status() == 200;
                        synchronized (statuses) {
                            statuses.computeIfAbsent(reply.status(), any -> new LongAdder()).increment();
                            if (fromPprof) {
                                statusesByPprof.computeIfAbsent(reply.status(), any -> new LongAdder()).increment();
                            }
                        }
                        String text = reply.text();
                        // HTTP's answer to a method the container does not know, outside pprof4j's mount.
                        boolean containersUnknownMethod = reply.status() == 501 && !fromPprof;
                        if (containersUnknownMethod) {
                            containersUnknownMethods.incrementAndGet();
                        } else if (reply.status() >= 500 && ProfileClients.kind(reply.status(), text) == null
                                && !(reply.status() == 503 && reply.headers().containsKey("retry-after"))) {
                            String answer = reply.statusLine() + ": " + text.strip().lines().findFirst().orElse("");
                            note(forbidden5xx, fuzzed.describe() + " -> " + answer);
                            synchronized (forbidden5xxByAnswer) {
                                forbidden5xxByAnswer.merge(answer, 1, Integer::sum);
                            }
                        }
                        List<String> detail = reply.status() < 300 ? List.of() : InternalDetail.in(text);
                        if (!detail.isEmpty()) {
                            note(revealing, fuzzed.describe() + " -> " + reply.status() + " reveals " + detail);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> each : done) {
                each.get();
            }
            clients.shutdown();
        } finally {
            System.setErr(err);
        }
        int sent = only == null ? FUZZ_CASES : 1;
        report.figure("requests", sent + " in " + (System.nanoTime() - start) / 1_000_000_000 + " s, "
                + FUZZ_CLIENTS + " at a time");
        report.figure("statuses", counts(statuses));
        report.figure("statuses of pprof4j's answers (the rest are Jetty's own: 400, 414, 431...)",
                counts(statusesByPprof));
        report.figure("Jetty's own 501 for an unknown method outside the mount", containersUnknownMethods.get());
        report.check("every request answered", unanswered.isEmpty(), unanswered.size() + " not"
                + (unanswered.isEmpty() ? "" : ", first: " + unanswered.subList(0, Math.min(5, unanswered.size()))));
        report.figure("5xx beyond the documented limits, by answer", forbidden5xxByAnswer);
        report.check("no 5xx but the documented limits", forbidden5xx.isEmpty(), forbidden5xx.size() + " others"
                + (forbidden5xx.isEmpty() ? "" : ", first: " + forbidden5xx.subList(0, Math.min(5, forbidden5xx.size()))));
        report.check("no internal detail in any error body", revealing.isEmpty(), revealing.size() + " bodies"
                + (revealing.isEmpty() ? "" : ", first: " + revealing.subList(0, Math.min(5, revealing.size()))));
        report.check("no stack trace logged for a client's request", stackFramesLogged.get() == 0,
                stackFramesLogged.get() + " stack frames in the log");
        report.assertPassed();
    }

    @Test
    @Order(3)
    void clientsThatHangUpMidProfileLeaveNoRecordingThreadOrPermit() throws Exception {
        Report report = new Report("hang-ups");
        PprofOptions options = PprofOptions.builder().maxConcurrentProfiles(HANG_UPS_AT_ONCE).build();
        try (ReliabilityServer server = new ReliabilityServer(options)) {
            // The handler's own recordings run from its start; a hang-up must leave just those.
            HttpTestClient.get(server.mount() + "/heap");
            awaitIdle(List.of(), 10_000);
            List<String> baseline = recordings();
            report.figure("recordings before", baseline);
            List<String> hangUpEndpoints = new ArrayList<>(TIMED);
            hangUpEndpoints.addAll(HANG_UP_HEADERS.keySet());
            for (String label : hangUpEndpoints) {
                String endpoint = label.split(" ")[0];
                String[] headers = HANG_UP_HEADERS.containsKey(label) ? new String[] {HANG_UP_HEADERS.get(label)}
                        : new String[0];
                String target = "/debug/pprof/" + endpoint + "?seconds=" + HANG_UP_SECONDS;
                int freed = 0;
                long slowestMillis = 0;
                String problem = "";
                for (int round = 0; round < HANG_UPS / HANG_UPS_AT_ONCE && problem.isEmpty(); round++) {
                    List<Socket> sockets = new ArrayList<>();
                    for (int i = 0; i < HANG_UPS_AT_ONCE; i++) {
                        sockets.add(RawHttp.startGet(server.port(), target, headers));
                    }
                    String started = started(sockets);
                    RawHttp.Reply probe = RawHttp.exchange(server.port(), ("GET /debug/pprof/goroutine?seconds=1"
                            + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII), 10_000);
                    for (Socket socket : sockets) {
                        socket.close();
                    }
                    long hungUp = System.nanoTime();
                    boolean released = awaitIdle(baseline, RELEASE_LIMIT_MILLIS);
                    long millis = (System.nanoTime() - hungUp) / 1_000_000;
                    if (!started.isEmpty()) {
                        problem = "round " + (round + 1) + ": " + started;
                    } else if (probe.status() != 503) {
                        problem = "round " + (round + 1) + ": not every request held a permit (a probe got "
                                + probe.status() + ")";
                    } else if (!released) {
                        problem = "round " + (round + 1) + ": " + millis + " ms after the hang-up, busy "
                                + busyPprofThreads().size() + " pprof4j threads, recordings " + recordings();
                    } else {
                        freed += HANG_UPS_AT_ONCE;
                        slowestMillis = Math.max(slowestMillis, millis);
                    }
                    if (!problem.isEmpty()) {
                        // Let the windows run out, so that the next endpoint starts clean.
                        awaitIdle(baseline, (HANG_UP_SECONDS + 10) * 1_000L);
                    }
                }
                report.check(label + "?seconds=" + HANG_UP_SECONDS + ": " + HANG_UPS + " hang-ups, each freed at once",
                        freed == HANG_UPS, freed + " of " + HANG_UPS + " freed within " + RELEASE_LIMIT_MILLIS
                                + " ms (slowest " + slowestMillis + " ms)" + (problem.isEmpty() ? "" : "; " + problem));
            }
            awaitIdle(baseline, 10_000);
            report.check("no recording left running", recordings().equals(baseline),
                    "before " + baseline + ", after " + recordings());
            report.check("no pprof4j thread left beyond its pool's idle workers", busyPprofThreads().isEmpty(),
                    "busy: " + busyPprofThreads());
            List<Integer> atOnce = allTimedAtOnce(server, HANG_UPS_AT_ONCE);
            report.check("every permit free: " + HANG_UPS_AT_ONCE + " timed profiles at once succeed",
                    atOnce.stream().allMatch(status -> status == 200), "statuses " + atOnce);
        }
        report.assertPassed();
    }

    @Test
    @Order(4)
    void handlersCreatedAndClosedLeaveNoThreadRecordingOrMemory() throws Exception {
        Report report = new Report("create/close");
        Delegating delegating = new Delegating();
        try (ReliabilityServer server = new ReliabilityServer(delegating)) {
            for (int i = 0; i < 5; i++) {
                cycle(delegating, server);
            }
            List<String> threadsBefore = ownThreads();
            List<String> recordingsBefore = recordings();
            long heapBefore = heapAfterFullCollection();
            long start = System.nanoTime();
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < CYCLES; i++) {
                String failure = cycle(delegating, server);
                if (failure != null && failures.size() < 5) {
                    failures.add("cycle " + i + ": " + failure);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            awaitNoThreadBeyond(threadsBefore, 10_000);
            List<String> threadsAfter = ownThreads();
            List<String> recordingsAfter = recordings();
            long heapAfter = heapAfterFullCollection();
            report.figure("cycles", CYCLES + " in " + millis + " ms (" + millis / CYCLES + " ms each: create, "
                    + "three requests over HTTP, close)");
            report.figure("threads (besides Jetty's and the HTTP client's pools)", threadsBefore.size() + " before, "
                    + threadsAfter.size() + " after");
            report.figure("recordings", recordingsBefore.size() + " before, " + recordingsAfter.size() + " after");
            report.figure("heap after a full collection", mb(heapBefore) + " before, " + mb(heapAfter) + " after");
            report.check("every request of every cycle answered", failures.isEmpty(), String.join("; ", failures));
            // A thread of the warm-up cycles still ending when counted before is gone after, and no leak.
            report.check("no thread left", difference(threadsAfter, threadsBefore).isEmpty(),
                    "new: " + difference(threadsAfter, threadsBefore) + ", gone: "
                            + difference(threadsBefore, threadsAfter));
            // As with threads: a warm-up cycle's stream still closing when listed before is gone after.
            report.check("no recording left", difference(recordingsAfter, recordingsBefore).isEmpty(),
                    "before " + recordingsBefore + ", after " + recordingsAfter);
            report.check("no memory left (heap within " + mb(HEAP_GROWTH_LIMIT) + " of before)",
                    heapAfter - heapBefore <= HEAP_GROWTH_LIMIT, "grew " + mb(heapAfter - heapBefore));
        }
        report.assertPassed();
    }

    @Test
    @Order(5)
    void withoutFlightRecorderJfrsProfilesAnswer503AndTheRestWorks() throws Exception {
        Report report = new Report("JFR unavailable");
        try (ChildJvm child = ChildJvm.start(List.of("-XX:-FlightRecorder"), JfrOffServer.class)) {
            String mount = child.origin() + "/debug/pprof";
            for (JfrUnavailableChecks.Result result : JfrUnavailableChecks.run(mount)) {
                boolean jfr = JfrUnavailableChecks.JFR_REQUESTS.contains(result.request());
                report.check(result.request().isEmpty() ? "index" : result.request(), result.passed(),
                        result.status() + (jfr ? " (503 with the reason expected)" : " (200 expected)")
                                + (result.passed() ? "" : ": " + result.problem()));
            }
            HttpTestClient.Reply application = HttpTestClient.get(child.origin() + "/app/work");
            report.check("the application's endpoint", application.status() == 200, "status " + application.status());
        }
        report.assertPassed();
    }

    /** The suite's server in a child JVM, for {@code -XX:-FlightRecorder}. */
    public static final class JfrOffServer {
        public static void main(String[] args) throws Exception {
            ReliabilityServer server = new ReliabilityServer(PprofOptions.defaults());
            ChildJvm.ready("http://127.0.0.1:" + server.port());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A servlet that hands each request to the {@link PprofServlet} of the current cycle. */
    static final class Delegating extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private transient volatile PprofServlet current;

        @Override
        public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
            current.service(request, response);
        }
    }

    /** Creates a handler, serves three requests through it, closes it; what went wrong, or {@code null}. */
    private static String cycle(Delegating delegating, ReliabilityServer server) throws Exception {
        PprofHandler handler = new PprofHandler(PprofOptions.defaults());
        try {
            delegating.current = new PprofServlet(handler);
            for (String request : List.of("/", "/goroutine?debug=1", "/cmdline")) {
                int status = HttpTestClient.get(server.mount() + request).status();
                if (status != 200) {
                    return request + " answered " + status;
                }
            }
            return null;
        } finally {
            handler.close();
        }
    }

    /** Whether, within {@code millis}, pprof4j has no busy thread and the recordings are {@code baseline}'s. */
    private static boolean awaitIdle(List<String> baseline, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            boolean idle = busyPprofThreads().isEmpty() && (baseline.isEmpty() || recordings().equals(baseline));
            if (idle || System.nanoTime() > deadline) {
                return idle;
            }
            Thread.sleep(50);
        }
    }

    /**
     * Why the requests on {@code sockets} are not all under way ("" if they are): every timed profile sends
     * its status once its window starts (a delta after its first snapshot, which waits for JFR) and writes as
     * it goes, so that a hang-up is noticed.
     */
    private static String started(List<Socket> sockets) throws IOException {
        int answered = 0;
        String first = "";
        long deadline = System.nanoTime() + STATUS_LIMIT_MILLIS * 1_000_000;
        for (Socket socket : sockets) {
            byte[] head = new byte[12];
            socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            int read;
            try {
                read = socket.getInputStream().readNBytes(head, 0, head.length);
            } catch (SocketTimeoutException e) {
                read = 0;
            }
            String status = new String(head, 0, read, StandardCharsets.ISO_8859_1);
            if (!status.startsWith("HTTP/1.1 200")) {
                answered++;
                first = read > 0 ? status : "nothing sent";
            }
        }
        return answered == 0 ? "" : answered + " of " + sockets.size() + " not under way (" + first + ")";
    }

    /** Starts {@code count} timed profiles at once, one second each, cycling over the timed endpoints. */
    private static List<Integer> allTimedAtOnce(ReliabilityServer server, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(count);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String endpoint = TIMED.get(i % TIMED.size());
                statuses.add(clients.submit(() -> HttpTestClient.get(server.mount() + "/" + endpoint + "?seconds=1")
                        .status()));
            }
            List<Integer> result = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                result.add(status.get());
            }
            return result;
        } finally {
            clients.shutdown();
        }
    }

    /** The JVM's threads but those of Jetty's pool and the JDK's HTTP client, which come and go by load. */
    private static List<String> ownThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> !name.startsWith("qtp") && !name.startsWith("HttpClient-")
                        && !name.startsWith("Connector-Scheduler"))
                .sorted().toList();
    }

    /** Waits until every thread not in {@code before} has ended, for at most {@code millis}. */
    private static void awaitNoThreadBeyond(List<String> before, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!difference(ownThreads(), before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static long heapAfterFullCollection() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static List<String> difference(List<String> from, List<String> minus) {
        List<String> left = new ArrayList<>(from);
        for (String each : minus) {
            left.remove(each);
        }
        return left;
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
    }

    private static String counts(Map<Integer, LongAdder> counts) {
        Map<Integer, Long> plain = new TreeMap<>();
        counts.forEach((status, adder) -> plain.put(status, adder.sum()));
        return plain.toString();
    }

    private static void note(List<String> list, String entry) {
        synchronized (list) {
            list.add(entry);
        }
    }

    /** Passes the log through, counting the stack frames written to it. */
    private static final class FrameCounter extends OutputStream {
        private final OutputStream out;
        private final AtomicLong frames;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        FrameCounter(OutputStream out, AtomicLong frames) {
            this.out = out;
            this.frames = frames;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
            if (b == '\n') {
                if (line.toString(StandardCharsets.UTF_8).startsWith("\tat ")) {
                    frames.incrementAndGet();
                }
                line.reset();
            } else if (line.size() < 16) {
                line.write(b);
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }
    }
}
