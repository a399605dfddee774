package dev.pprof4j;

import java.io.IOException;
import java.util.Map;
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
    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();
    /**
     * Responses rendered into memory and being sent at once, and how long a
     * request waits for its turn: a burst of requests holds at most this many
     * snapshots and bodies, and is answered about as fast (docs/design.md).
     */
    private static final int RENDERINGS = 4;
    /** Async requests beyond the workers wait in line, up to this many; each holds only its exchange. */
    private static final int QUEUED_REQUESTS = 64;

    /** Every endpoint by its path below the mount point. */
    private final Map<String, Endpoint> endpoints = new TreeMap<>();
    private final ThreadPoolExecutor workers;
    private final AccessPolicy access;
    private final AtomicBoolean jfrFailureLogged = new AtomicBoolean();
    private Profiles profiles;

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
        this.access = new AccessPolicy(options.allowedAddresses(), options.trustedProxies());
        // Room for every timed profile at once and a few quick requests beside them; a burst waits its turn.
        int threads = options.maxConcurrentProfiles() + 4;
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), PprofHandler::workerThread);
        this.workers.allowCoreThreadTimeOut(true);
        try {
            this.profiles = new Profiles(options, early);
            jfrFailureLogged.set(profiles.unavailableLogged());
            FrameTable frameTable = new FrameTable(FRAME_TABLE_CAPACITY);
            ProfileEncoder encoder = new ProfileEncoder(frameTable, CommandLine.programName());
            TimedProfileLimit limit = new TimedProfileLimit(options.maxProfileDuration(),
                    options.maxConcurrentProfiles());
            Semaphore renderings = new Semaphore(RENDERINGS, true);
            add(new IndexEndpoint(endpoints.values()));
            add(new CommandLineEndpoint());
            add(new CpuProfileEndpoint(profiles.cpu(), profiles.cpuUnavailable(), limit, encoder));
            add(new SymbolEndpoint(frameTable));
            add(new TraceEndpoint(limit));
            for (NamedProfile profile : profiles.named()) {
                add(new ProfileEndpoint(profile, renderings, limit, frameTable, encoder));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void add(Endpoint endpoint) {
        if (endpoints.putIfAbsent(endpoint.name(), endpoint) != null) {
            throw new IllegalArgumentException("a profile named \"" + endpoint.name() + "\" already exists");
        }
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
        } catch (SamplingStoppedException e) {
            response = Response.error(503, e.getMessage());
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
        } catch (JfrUnavailableException | SamplingStoppedException e) {
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
        workers.shutdownNow();
        if (profiles != null) {
            profiles.close();
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
            return MountPointRedirect.of(exchange);
        }
        Endpoint endpoint = endpoints.get(path.substring(1));
        return endpoint == null ? Response.error(404, "Unknown profile") : endpoint.respond(exchange);
    }

    /** JFR's 503; the reason is logged once for the handler, however many requests meet it. */
    private Response jfrUnavailable(JfrUnavailableException e) {
        if (e.getCause() != null && jfrFailureLogged.compareAndSet(false, true)) {
            log.warn("pprof4j cannot record with JDK Flight Recorder: {}", Profiles.reason(e));
        }
        return Response.error(503, e.getMessage());
    }
}
