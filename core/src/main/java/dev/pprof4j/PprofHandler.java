package dev.pprof4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code /debug/pprof/} exactly as Go's {@code net/http/pprof} does —
 * same paths, parameters, status codes, headers and messages — so that
 * {@code go tool pprof} and every other pprof client work against a JVM
 * unchanged. Framework adapters mount it and hand it each request as a
 * {@link PprofExchange}.
 *
 * <p>It samples from the moment it is created, through JDK Flight Recorder:
 * allocations and live objects for {@code heap} and {@code allocs}, thread
 * starts for {@code threadcreate}, waits for {@code mutex} and {@code block};
 * CPU only while a {@code profile} request runs. Close it
 * when the application stops serving it, which ends the sampling; handlers in
 * one JVM share a single JFR stream. Where JFR is unavailable, the JFR-based
 * profiles answer 503 and the others work.
 *
 * <p>It never throws: a failure inside pprof4j is answered with a 500 and
 * logged once, and the next request works. Thread-safe; one instance serves
 * all requests of a mount point.
 */
public final class PprofHandler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PprofHandler.class);

    /** About 150 bytes a frame: a few tens of MB at most, far above a real application's frame count. */
    private static final int FRAME_TABLE_CAPACITY = 1 << 17;
    static final String INTERNAL_ERROR = "pprof4j failed to produce the profile; the server log says why";
    private static final String CMDLINE_DESCRIPTION = "The command line invocation of the current program";
    /** The profiles the index page shows {@code go tool pprof} commands for. */
    private static final List<String> USAGE_PROFILES = List.of("heap", "allocs", "profile", "goroutine");
    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();
    private static final Set<String> RESERVED_NAMES = Set.of("cmdline", "profile", "symbol", "trace");
    /**
     * Responses rendered into memory and being sent at once, and how long a
     * request waits for its turn: a burst of requests holds at most this many
     * snapshots and bodies, and is answered about as fast (docs/design.md).
     */
    private static final int RENDERINGS = 4;
    /** Async requests beyond the workers wait in line, up to this many; each holds only its exchange. */
    private static final int QUEUED_REQUESTS = 64;
    private static final long RENDERING_WAIT_SECONDS = 30;
    /** What a URL's path and query may hold unescaped. */
    private static final String URL_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%?";

    private final PprofOptions options;
    private final FrameTable frameTable = new FrameTable(FRAME_TABLE_CAPACITY);
    private final ProfileEncoder encoder = new ProfileEncoder(frameTable, CommandLine.programName());
    private final Map<String, NamedProfile> profiles = new TreeMap<>();
    private final Semaphore timedProfiles;
    private final Semaphore renderings = new Semaphore(RENDERINGS, true);
    private final ThreadPoolExecutor workers;
    private final AccessPolicy access;
    private final AtomicBoolean jfrFailureLogged = new AtomicBoolean();
    private CpuProfiler cpuProfiler;
    private CpuProfileEndpoint cpuProfile;
    private String cpuUnavailable;
    private PprofSamplers samplers;

    /** A handler with {@link PprofOptions#defaults()}. */
    public PprofHandler() {
        this(PprofOptions.defaults());
    }

    /** @throws IllegalArgumentException if two profiles share a name, or a custom one takes a built-in's */
    public PprofHandler(PprofOptions options) {
        this(options, null);
    }

    /**
     * A handler that serves what {@code early} has sampled since it started,
     * where {@code early} was started with the same allocation rate, stack
     * depth, stack limit and contention threshold as {@code options} and no
     * other handler has adopted it; otherwise it closes {@code early} and
     * samples from now, as {@link #PprofHandler(PprofOptions)} does. Either
     * way the handler owns {@code early} from now on.
     *
     * @param early samplers started earlier, or null
     * @throws IllegalArgumentException if two profiles share a name, or a custom one takes a built-in's
     */
    public PprofHandler(PprofOptions options, PprofSamplers early) {
        this.options = options;
        this.access = new AccessPolicy(options.allowedAddresses(), options.trustedProxies());
        this.timedProfiles = new Semaphore(options.maxConcurrentProfiles());
        // Room for every timed profile at once and a few quick requests beside them; a burst waits its turn.
        int threads = options.maxConcurrentProfiles() + 4;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), PprofHandler::workerThread);
        this.workers.allowCoreThreadTimeOut(true);
        register(new ThreadProfile(options.stackDepth()));
        try {
            startSampling(options, early);
            for (CustomProfile profile : options.profiles()) {
                register(profile.served());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Adopts {@code early} or starts JFR's samplers, and registers their profiles; where JFR cannot run,
     * profiles that answer 503.
     */
    private void startSampling(PprofOptions options, PprofSamplers early) {
        JfrUnavailableException unavailable;
        try {
            samplers = early != null ? early.adoptFor(options) : null;
            // Samples only while a profile request runs; there it says why JFR cannot.
            cpuProfiler = new CpuProfiler(options.cpuSamplingPeriod(), options.stackDepth(), options.maxStacks());
            cpuProfile = new CpuProfileEndpoint(cpuProfiler, timedProfiles, options.maxProfileDuration().toSeconds(),
                    encoder);
            if (samplers == null) {
                samplers = new PprofSamplers(options);
            }
            register(HeapProfile.heap(samplers.heap()));
            register(HeapProfile.allocs(samplers.heap()));
            register(samplers.threadCreation());
            register(samplers.mutex());
            register(samplers.block());
            return;
        } catch (JfrUnavailableException e) {
            unavailable = e;
        } catch (LinkageError e) {
            // A runtime image built without the jdk.jfr module.
            unavailable = new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME, e);
            cpuUnavailable = unavailable.getMessage();
            cpuProfile = null;
        }
        closeSamplers();
        jfrFailureLogged.set(true);
        log.warn("pprof4j serves no heap, allocs, threadcreate, mutex or block profile: {}", reason(unavailable));
        String answer = unavailable.getMessage();
        register(new UnavailableProfile("heap", HeapProfile.HEAP_DESCRIPTION, answer));
        register(new UnavailableProfile("allocs", HeapProfile.ALLOCS_DESCRIPTION, answer));
        register(new UnavailableProfile("threadcreate", ThreadCreationProfile.DESCRIPTION, answer));
        register(new UnavailableProfile("mutex", ContentionProfile.MUTEX_DESCRIPTION, answer));
        register(new UnavailableProfile("block", ContentionProfile.BLOCK_DESCRIPTION, answer));
    }

    /** Why JFR cannot record, for the log: the cause the client's answer leaves out. */
    private static String reason(JfrUnavailableException e) {
        return e.getCause() == null ? e.getMessage() : e.getCause().toString();
    }

    /** JFR's 503; the reason is logged once for the handler, however many requests meet it. */
    private Response jfrUnavailable(JfrUnavailableException e) {
        if (e.getCause() != null && jfrFailureLogged.compareAndSet(false, true)) {
            log.warn("pprof4j cannot record with JDK Flight Recorder: {}", reason(e));
        }
        return Response.error(503, e.getMessage());
    }

    /** Answers one request on the calling thread, which a timed profile holds for its duration. Never throws. */
    public void handle(PprofExchange exchange) {
        answer(exchange, () -> false);
    }

    /**
     * Answers one request on a thread of pprof4j's own, so that a timed
     * profile ({@code profile}, {@code trace}, {@code seconds=N}) does not
     * hold the caller's thread: what a servlet container's async mode is
     * for. The future completes once the response has been sent. Cancel it
     * when the container gives up on the request: the profile under way
     * stops, and once {@code cancel} returns nothing more is written to the
     * exchange. Never throws.
     */
    public CompletableFuture<Void> handleAsync(PprofExchange exchange) {
        AbandonableExchange guarded = new AbandonableExchange(exchange);
        AtomicReference<FutureTask<Void>> work = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                // Before anything that waits on the future runs: the container may recycle the response then.
                guarded.abandon();
                work.get().cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        work.set(new FutureTask<>(() -> answer(guarded, done::isCancelled), null));
        try {
            workers.execute(() -> {
                try {
                    work.get().run();
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            send(exchange, workers.isShutdown() ? Response.error(503, "pprof4j has been closed")
                    : Response.tryLater("too many pprof requests in progress; try again later"));
            done.complete(null);
        }
        return done;
    }

    private void answer(PprofExchange exchange, BooleanSupplier abandoned) {
        Response response;
        boolean interrupted = false;
        try {
            response = respond(exchange);
        } catch (JfrUnavailableException e) {
            response = jfrUnavailable(e);
        } catch (InterruptedException e) {
            // Answer first, then hand the interrupt back to the caller's thread.
            interrupted = true;
            if (abandoned.getAsBoolean()) {
                Thread.currentThread().interrupt();
                return;
            }
            response = Response.error(500, "profiling interrupted");
        } catch (Throwable t) {
            log.warn("pprof4j could not answer a request: {}", t.toString(), t);
            response = Response.error(500, INTERNAL_ERROR);
        }
        send(exchange, response);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(PprofExchange exchange, Response response) {
        try {
            response.send(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("pprof4j could not send the response, the client probably went away", e);
        } catch (JfrUnavailableException e) {
            log.debug("pprof4j stopped a streamed profile: {}", e.getMessage());
        } catch (Throwable t) {
            log.warn("pprof4j could not send the response: {}", t.toString(), t);
        }
    }

    private static Thread workerThread(Runnable task) {
        Thread thread = new Thread(task, "pprof4j-worker-" + WORKER_NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Stops sampling and frees what sampling holds. Profiles under way stop
     * (a CPU profile, whose status is already sent, ends its body short);
     * later requests for sampled profiles answer 503. Closing again does nothing.
     */
    @Override
    public void close() {
        if (cpuProfiler != null) {
            cpuProfiler.close();
        }
        workers.shutdownNow();
        closeSamplers();
    }

    private void closeSamplers() {
        if (samplers != null) {
            samplers.release();
        }
    }

    private void register(NamedProfile profile) {
        if (RESERVED_NAMES.contains(profile.name()) || profiles.putIfAbsent(profile.name(), profile) != null) {
            throw new IllegalArgumentException("a profile named \"" + profile.name() + "\" already exists");
        }
    }

    private Response respond(PprofExchange exchange) throws IOException, InterruptedException {
        AccessPolicy.Decision decision = access.judge(exchange);
        if (!decision.allowed()) {
            log.debug("pprof4j refused a request: {}", decision.reason());
            return Response.error(403, decision.reason());
        }
        String path = exchange.pathInfo();
        if (path == null || path.isEmpty()) {
            return redirectToMountPoint(exchange);
        }
        String name = path.substring(1);
        switch (name) {
            case "":
                return index(exchange);
            case "cmdline":
                return Response.text(String.join("\0", CommandLine.current()));
            case "symbol":
                return SymbolEndpoint.respond(exchange, frameTable);
            case "profile":
                if (cpuProfile == null) {
                    return Response.error(503, cpuUnavailable);
                }
                return cpuProfile.respond(RequestParameters.of(exchange));
            case "trace":
                return trace(exchange, RequestParameters.of(exchange));
            default:
                NamedProfile profile = profiles.get(name);
                if (profile == null) {
                    return Response.error(404, "Unknown profile");
                }
                return serve(profile, RequestParameters.of(exchange));
        }
    }

    private Response serve(NamedProfile profile, RequestParameters parameters)
            throws IOException, InterruptedException {
        if (!parameters.get("seconds").isEmpty()) {
            return serveDelta(profile, parameters);
        }
        if (!renderings.tryAcquire(RENDERING_WAIT_SECONDS, TimeUnit.SECONDS)) {
            return Response.tryLater("too many profiles being rendered at once; try again later");
        }
        Response response;
        try {
            response = render(profile, parameters);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            renderings.release();
            throw e;
        }
        // The body is held until the client has it.
        return response.afterSend(renderings::release);
    }

    private Response render(NamedProfile profile, RequestParameters parameters)
            throws IOException, InterruptedException {
        if (profile.name().equals("heap") && profile instanceof HeapProfile && parameters.getInt("gc") > 0) {
            profile = ((HeapProfile) profile).afterFullCollection();
        }
        int debug = parameters.getInt("debug");
        if (debug != 0) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            PrintWriter out = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8));
            // Go serves negative debug levels as text too (for heap); treat them all as 1.
            profile.writeText(Math.max(debug, 1), frameTable, out);
            out.flush();
            return Response.ok(Response.TEXT, body.toByteArray());
        }
        return Response.attachment(profile.name(), encode(profile.snapshot()));
    }

    /** Go's {@code serveDeltaProfile}, with its checks in its order. */
    private Response serveDelta(NamedProfile profile, RequestParameters parameters)
            throws IOException, InterruptedException {
        long seconds = parameters.getLong("seconds");
        if (seconds <= 0) {
            return Response.error(400, "invalid value for \"seconds\" - must be a positive integer");
        }
        if (!profile.supportsDelta()) {
            return Response.error(400, "\"seconds\" parameter is not supported for this profile type");
        }
        if (seconds > options.maxProfileDuration().toSeconds()) {
            return Response.error(400, "profile duration exceeds server's WriteTimeout");
        }
        if (parameters.getInt("debug") != 0) {
            return Response.error(400, "seconds and debug params are incompatible");
        }
        if (!timedProfiles.tryAcquire()) {
            return tooManyTimedProfiles();
        }
        StackProfile before;
        try {
            // Taken before the status is sent, so that a profile JFR cannot give is a clean 503.
            before = profile.snapshot();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            timedProfiles.release();
            throw e;
        }
        // Taking a snapshot may itself take a moment; the window is measured from its time.
        long windowNanos = seconds * 1_000_000_000L;
        long endNanos = System.nanoTime() + before.timeNanos() + windowNanos - StackProfile.nowNanos();
        return Response.streamed(profile.name() + "-delta", new WindowedProfileBody(encoder, windowNanos, endNanos,
                pulse -> profile.snapshot().minus(before), timedProfiles::release));
    }

    /** Go's {@code Trace} handler, answered with a JFR recording; several may run at once. */
    private Response trace(PprofExchange exchange, RequestParameters parameters)
            throws IOException, InterruptedException {
        double seconds = TraceEndpoint.seconds(parameters.get("seconds"));
        if (seconds > options.maxProfileDuration().toSeconds()) {
            return Response.error(400, "profile duration exceeds server's WriteTimeout");
        }
        if (!timedProfiles.tryAcquire()) {
            return tooManyTimedProfiles();
        }
        return TraceEndpoint.respond(seconds, TraceEndpoint.acceptsGzip(
                String.join(",", exchange.requestHeaders("Accept-Encoding"))),
                timedProfiles::release);
    }

    private Response tooManyTimedProfiles() {
        return Response.tryLater("too many profiles in progress (at most "
                + options.maxConcurrentProfiles() + " at once); try again later");
    }

    private byte[] encode(StackProfile profile) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        encoder.write(profile, body);
        return body.toByteArray();
    }

    private Response index(PprofExchange exchange) {
        Map<String, IndexPage.Entry> entries = new TreeMap<>();
        for (NamedProfile profile : profiles.values()) {
            entries.put(profile.name(), new IndexPage.Entry(profile.name(), profile.count(),
                    profile.description()));
        }
        entries.put("cmdline", new IndexPage.Entry("cmdline", 0, CMDLINE_DESCRIPTION));
        entries.put("profile", new IndexPage.Entry("profile", 0, CpuProfiler.DESCRIPTION));
        entries.put("trace", new IndexPage.Entry("trace", 0, TraceEndpoint.DESCRIPTION));
        String url = exchange.requestUrl();
        String baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return Response.ok(Response.HTML, IndexPage.render(entries.values(), baseUrl, USAGE_PROFILES)
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The mount point with its slash, as the client wrote its path; what no
     * URL may hold raw ({@code |}, {@code ^}, {@code {}, {@code "}, which
     * some containers let through) is escaped, as Go's redirect escapes it.
     */
    private static Response redirectToMountPoint(PprofExchange exchange) {
        String url = exchange.requestUrl();
        int scheme = url.indexOf("://");
        int pathStart = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
        String path = escapeUrl(pathStart < 0 ? "" : url.substring(pathStart)) + "/";
        String query = exchange.queryString();
        return Response.redirect(query == null || query.isEmpty() ? path : path + "?" + escapeUrl(query),
                exchange.method());
    }

    private static String escapeUrl(String path) {
        StringBuilder escaped = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            if (b > 0 && URL_CHARACTERS.indexOf(b) >= 0) {
                escaped.append((char) b);
            } else {
                escaped.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return escaped.toString();
    }
}
