package dev.pprof4j;

import java.io.IOException;

/**
 * {@code /debug/pprof/profile}: Go's {@code Profile} handler over
 * {@link CpuProfiler}. Several may run at once, up to the limit of timed
 * profiles, each with its own window; past it, Go's answer to a second CPU
 * profile. Go sends nothing until the profile ends; this endpoint sends the
 * status at once and writes the body as the window records
 * ({@link WindowedProfileBody}), so that a client that goes away ends its
 * window at once.
 */
final class CpuProfileEndpoint implements Endpoint {

    private static final long DEFAULT_SECONDS = 30;

    private final CpuProfiler profiler;
    private final String unavailable;
    private final TimedProfileLimit limit;
    private final ProfileEncoder encoder;

    /** @param profiler null where the runtime has no JFR, which {@code unavailable} then says */
    CpuProfileEndpoint(CpuProfiler profiler, String unavailable, TimedProfileLimit limit, ProfileEncoder encoder) {
        this.profiler = profiler;
        this.unavailable = unavailable;
        this.limit = limit;
        this.encoder = encoder;
    }

    @Override
    public String name() {
        return "profile";
    }

    @Override
    public Response respond(PprofExchange exchange) throws IOException {
        if (profiler == null) {
            throw new JfrUnavailableException(unavailable);
        }
        long seconds = RequestParameters.of(exchange).getLong("seconds");
        if (seconds <= 0) {
            seconds = DEFAULT_SECONDS;
        }
        Response tooLong = limit.refuseDuration(seconds);
        if (tooLong != null) {
            return tooLong;
        }
        if (!limit.tryStart()) {
            return Response.error(500, "Could not enable CPU profiling: cpu profiling already in use");
        }
        CpuWindow window;
        try {
            window = profiler.open();
        } catch (LinkageError e) {
            limit.end();
            throw new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME, e);
        } catch (RuntimeException e) {
            limit.end();
            throw e;
        }
        long nanos = seconds * 1_000_000_000L;
        return Response.streamed("profile", new WindowedProfileBody(encoder, nanos, System.nanoTime() + nanos,
                pulse -> profiler.finish(window, pulse), () -> {
                    profiler.close(window);
                    limit.end();
                }));
    }
}
