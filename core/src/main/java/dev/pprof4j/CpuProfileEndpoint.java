package dev.pprof4j;

import java.util.concurrent.Semaphore;

/**
 * {@code /debug/pprof/profile}: Go's {@code Profile} handler over
 * {@link CpuProfiler}. Several may run at once, up to the limit of timed
 * profiles, each with its own window; past it, Go's answer to a second CPU
 * profile. Go sends nothing until the profile ends; this endpoint sends the
 * status at once and writes the body as the window records
 * ({@link WindowedProfileBody}), so that a client that goes away ends its
 * window at once.
 */
final class CpuProfileEndpoint {

    private static final long DEFAULT_SECONDS = 30;

    private final CpuProfiler profiler;
    private final Semaphore timedProfiles;
    private final long maxSeconds;
    private final ProfileEncoder encoder;

    CpuProfileEndpoint(CpuProfiler profiler, Semaphore timedProfiles, long maxSeconds, ProfileEncoder encoder) {
        this.profiler = profiler;
        this.timedProfiles = timedProfiles;
        this.maxSeconds = maxSeconds;
        this.encoder = encoder;
    }

    /** @throws JfrUnavailableException if JFR cannot sample here */
    Response respond(RequestParameters parameters) {
        long seconds = parameters.getLong("seconds");
        if (seconds <= 0) {
            seconds = DEFAULT_SECONDS;
        }
        if (seconds > maxSeconds) {
            return Response.error(400, "profile duration exceeds server's WriteTimeout");
        }
        if (!timedProfiles.tryAcquire()) {
            return Response.error(500, "Could not enable CPU profiling: cpu profiling already in use");
        }
        CpuWindow window;
        try {
            window = profiler.open();
        } catch (LinkageError e) {
            timedProfiles.release();
            throw new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME, e);
        } catch (RuntimeException e) {
            timedProfiles.release();
            throw e;
        }
        long nanos = seconds * 1_000_000_000L;
        return Response.streamed("profile", new WindowedProfileBody(encoder, nanos, System.nanoTime() + nanos,
                pulse -> profiler.finish(window, pulse), () -> {
                    profiler.close(window);
                    timedProfiles.release();
                }));
    }
}
