package dev.pprof4j;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
 * <p>It samples from shortly after it is created, through JDK Flight Recorder:
 * allocations and live objects for {@code heap} and {@code allocs}, thread
 * starts for {@code threadcreate}, waits for {@code mutex} and {@code block};
 * CPU only while a {@code profile} request runs. Sampling starts on a thread
 * of pprof4j's own, so that making a handler costs its caller next to nothing
 * ({@link #awaitSampling} waits for it). Close it
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

    static final String INTERNAL_ERROR = "pprof4j failed to produce the profile; the server log says why";

    private final AccessPolicy access;
    private final RequestWorkers workers;
    private final Profiles profiles;
    private final PprofOptions options;
    /** Built by the first request: most of pprof4j's classes load then, not on the thread that makes the handler. */
    private volatile Endpoints endpoints;

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
     * depth, stack limit, contention threshold and samplers off as {@code options} and no
     * other handler has adopted it; otherwise it closes {@code early} and
     * samples from now, as {@link #PprofHandler(PprofOptions)} does. Either
     * way the handler owns {@code early} from now on.
     *
     * @param early samplers started earlier, or null
     * @throws IllegalArgumentException if two profiles share a name, or a custom one takes a built-in's
     */
    public PprofHandler(PprofOptions options, PprofSamplers early) {
        Endpoints.requireDistinctNames(options.profiles());
        this.options = options;
        this.access = new AccessPolicy(options.allowedAddresses(), options.trustedProxies());
        this.profiles = new Profiles(options, early);
        // Room for every timed profile at once and a few quick requests beside them; a burst waits its turn.
        this.workers = new RequestWorkers(options.maxConcurrentProfiles() + 4);
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
        return workers.submit(exchange, this::answer);
    }

    private void answer(PprofExchange exchange, BooleanSupplier abandoned) {
        Response response;
        boolean interrupted = false;
        try {
            response = respond(exchange);
        } catch (JfrUnavailableException e) {
            response = profiles.unavailable(e);
        } catch (SamplingStoppedException e) {
            response = Response.error(503, e.getMessage());
        } catch (SamplingStartingException e) {
            response = Response.tryLater(e.getMessage());
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
        response.deliver(exchange);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeout} for sampling to start, which it does on
     * pprof4j's own thread a few hundred milliseconds after the handler is
     * made (JDK Flight Recorder's own start); what the application does
     * before is not sampled, and a request that comes before waits for it.
     * Returns whether sampling has started, or could not start (its profiles
     * then answer 503 with the reason).
     */
    public boolean awaitSampling(Duration timeout) throws InterruptedException {
        return profiles.awaitSampling(timeout);
    }

    /**
     * Stops sampling and frees what sampling holds. Profiles under way stop
     * (a CPU profile, whose status is already sent, ends its body short);
     * later requests for sampled profiles answer 503. Closing again does nothing.
     */
    @Override
    public void close() {
        workers.close();
        profiles.close();
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
        Endpoint endpoint = endpoints().get(path.substring(1));
        return endpoint == null ? Response.error(404, "Unknown profile") : endpoint.respond(exchange);
    }

    private Endpoints endpoints() {
        Endpoints built = endpoints;
        if (built == null) {
            synchronized (this) {
                built = endpoints;
                if (built == null) {
                    built = new Endpoints(options, profiles);
                    endpoints = built;
                }
            }
        }
        return built;
    }
}
