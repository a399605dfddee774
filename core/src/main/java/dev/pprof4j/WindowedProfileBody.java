package dev.pprof4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The body of a profile over a time window ({@code profile}, and
 * {@code seconds=N} deltas): a gzip'd protobuf written while the window runs.
 *
 * <p>Go sends nothing until the window ends. This body is sent at once and
 * writes a few bytes four times a second (the duration so far:
 * {@code duration_nanos}, a field the final message sets again, and the last
 * value counts), because only a failed write tells a Java server that its
 * client has gone; the window then ends at once and {@link #release} frees
 * what it held. Four writes a second, not one: a server that cuts
 * connections idle for a second (Jetty's idle timeout may be that short) must
 * not cut a profile whose write was a little late on a busy machine.
 */
final class WindowedProfileBody implements Response.Body {

    static final long KEEPALIVE_NANOS = 250_000_000L;

    /** How the window ends: the profile it covered, with {@code pulse} run every quarter second of any wait. */
    @FunctionalInterface
    interface Ending {
        StackProfile profile(SharedRecordingStream.Pulse<IOException> pulse) throws IOException, InterruptedException;
    }

    private final ProfileEncoder encoder;
    private final long windowNanos;
    private final long endNanos;
    private final Ending ending;
    private final Runnable release;

    /**
     * @param windowNanos the window's length
     * @param endNanos when it ends, in {@link System#nanoTime()}'s terms
     * @param release frees what the window holds (its permit, its samples); run once, sent or not
     */
    WindowedProfileBody(ProfileEncoder encoder, long windowNanos, long endNanos, Ending ending, Runnable release) {
        this.encoder = encoder;
        this.windowNanos = windowNanos;
        this.endNanos = endNanos;
        this.ending = ending;
        this.release = release;
    }

    @Override
    public void write(OutputStream out) throws IOException, InterruptedException {
        GZIPOutputStream gzip = ProfileEncoder.gzip(out);
        for (long left = endNanos - System.nanoTime(); left > 0; left = endNanos - System.nanoTime()) {
            keepAlive(gzip);
            long pause = Math.min(left, KEEPALIVE_NANOS);
            Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
        }
        encoder.writeUncompressed(ending.profile(() -> keepAlive(gzip)), gzip);
        gzip.finish();
    }

    @Override
    public void release() {
        release.run();
    }

    /** Sends the duration so far: a field the final message sets again, so it changes nothing. */
    private void keepAlive(GZIPOutputStream gzip) throws IOException {
        long elapsed = windowNanos - (endNanos - System.nanoTime());
        ByteArrayOutputStream duration = new ByteArrayOutputStream();
        new ProtoWriter().int64(ProfileEncoder.PROFILE_DURATION_NANOS, Math.max(elapsed, 1)).drainTo(duration);
        duration.writeTo(gzip);
        gzip.flush();
    }
}
