package dev.pprof4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPOutputStream;

/**
 * {@code /debug/pprof/profile}: Go's {@code Profile} handler over
 * {@link CpuProfiler}. Several may run at once, up to the limit of timed
 * profiles, each with its own window; past it, Go's answer to a second CPU
 * profile.
 *
 * <p>Go sends nothing until the profile ends. This endpoint sends the status
 * at once and writes the gzip body while the window records, a few bytes
 * four times a second (the duration so far: {@code duration_nanos}, a field the
 * final message sets again, and the last value counts), because only a
 * failed write tells a Java server that its client has gone. The window then
 * closes at once. Four writes a second, not one: a server that cuts
 * connections idle for a second (Jetty's idle timeout may be that short)
 * must not cut a profile whose write was a little late on a busy machine.
 */
final class CpuProfileEndpoint {

    private static final long DEFAULT_SECONDS = 30;
    private static final long KEEPALIVE_NANOS = 250_000_000L;

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
            throw new JfrUnavailableException("JDK Flight Recorder is not in this Java runtime: " + e);
        } catch (RuntimeException e) {
            timedProfiles.release();
            throw e;
        }
        long nanos = seconds * 1_000_000_000L;
        return Response.streamed("profile", new Response.Body() {
            @Override
            public void write(OutputStream out) throws IOException, InterruptedException {
                stream(window, nanos, out);
            }

            @Override
            public void release() {
                profiler.close(window);
                timedProfiles.release();
            }
        });
    }

    private void stream(CpuWindow window, long nanos, OutputStream out) throws IOException, InterruptedException {
        GZIPOutputStream gzip = ProfileEncoder.gzip(out);
        long start = System.nanoTime();
        for (long elapsed = 0; elapsed < nanos; elapsed = System.nanoTime() - start) {
            keepAlive(gzip, elapsed);
            long pause = Math.min(nanos - elapsed, KEEPALIVE_NANOS);
            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        }
        encoder.writeUncompressed(profiler.finish(window, () -> keepAlive(gzip, System.nanoTime() - start)), gzip);
        gzip.finish();
    }

    /** Sends the duration so far: a field the final message sets again, so it changes nothing. */
    private static void keepAlive(GZIPOutputStream gzip, long elapsedNanos) throws IOException {
        ByteArrayOutputStream duration = new ByteArrayOutputStream();
        new ProtoWriter().int64(ProfileEncoder.DURATION_NANOS, Math.max(elapsedNanos, 1)).drainTo(duration);
        duration.writeTo(gzip);
        gzip.flush();
    }
}
