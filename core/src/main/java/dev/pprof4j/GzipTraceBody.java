package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

/**
 * A trace's body for a client that accepts gzip: empty deflate blocks four
 * times a second while the recording runs, so that a client that hangs up is
 * noticed at the next write, then the recording at its end
 * ({@link GzipKeepAlive}): one chunk, the smallest file.
 */
final class GzipTraceBody implements Response.Body {

    private static final long KEEPALIVE_NANOS = 250_000_000L;

    private final TraceRecording recording;
    private final long nanos;
    private final Runnable release;

    GzipTraceBody(TraceRecording recording, long nanos, Runnable release) {
        this.recording = recording;
        this.nanos = nanos;
        this.release = release;
    }

    @Override
    public void write(OutputStream out) throws IOException, InterruptedException {
        GzipKeepAlive gzip = new GzipKeepAlive(out);
        long start = System.nanoTime();
        for (long elapsed = 0; elapsed < nanos; elapsed = System.nanoTime() - start) {
            gzip.keepAlive();
            if (!TraceRecording.canFilter()) {
                recording.refuseIfOthersRecordLeftOutEvents();
            }
            long sleep = Math.min(nanos - elapsed, KEEPALIVE_NANOS);
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        try (InputStream in = Files.newInputStream(recording.finish())) {
            gzip.finish(in);
        }
    }

    @Override
    public void release() {
        recording.close();
        release.run();
    }
}
