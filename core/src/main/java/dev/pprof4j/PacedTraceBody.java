package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A trace's body without a content coding: the recording's chunks, sent as
 * they finish, so that the body is written to while the recording runs and
 * a client that hangs up is noticed at the next write. A chunk is ended
 * after one second, then after twice as long each time, up to
 * {@link #LONGEST_CHUNK_NANOS}: every chunk repeats JFR's metadata and its
 * every-chunk events (about 200 KB), so one per second would multiply a long
 * trace's size. What is in hand is written four times a second, all of it
 * but a holdback of {@link #KEEPALIVE_BYTES} per write left before the next
 * chunk ends, so that there is always something to write.
 */
final class PacedTraceBody implements Response.Body {

    static final long WRITE_NANOS = 250_000_000L;
    static final long FIRST_CHUNK_NANOS = 1_000_000_000L;
    static final long LONGEST_CHUNK_NANOS = 32_000_000_000L;
    static final int KEEPALIVE_BYTES = 256;

    private final TraceRecording recording;
    private final long nanos;
    private final Runnable release;
    private final Deque<Path> pending = new ArrayDeque<>();
    private final byte[] buffer = new byte[1 << 16];
    private long pendingBytes;
    private Path current;
    private InputStream currentIn;

    PacedTraceBody(TraceRecording recording, long nanos, Runnable release) {
        this.recording = recording;
        this.nanos = nanos;
        this.release = release;
    }

    @Override
    public void write(OutputStream out) throws IOException, InterruptedException {
        try {
            long start = System.nanoTime();
            long chunkNanos = FIRST_CHUNK_NANOS;
            long nextChunk = start + chunkNanos;
            for (long now = start; now - start < nanos; now = System.nanoTime()) {
                if (!TraceRecording.canFilter()) {
                    recording.refuseIfOthersRecordLeftOutEvents();
                }
                boolean due = now - nextChunk >= 0 || (pendingBytes == 0 && now - start >= FIRST_CHUNK_NANOS);
                // A chunk ended just before the recording does would only add its overhead.
                if (due && start + nanos - now > 2 * WRITE_NANOS) {
                    add(recording.nextChunks());
                    chunkNanos = Math.min(2 * chunkNanos, LONGEST_CHUNK_NANOS);
                    nextChunk = System.nanoTime() + chunkNanos;
                }
                long writesBeforeNextChunk = Math.max(0, (nextChunk - now) / WRITE_NANOS) + 1;
                long holdback = writesBeforeNextChunk * KEEPALIVE_BYTES;
                write(out, pendingBytes > holdback ? pendingBytes - holdback : Math.min(pendingBytes, KEEPALIVE_BYTES));
                long pause = Math.min(start + nanos - System.nanoTime(), WRITE_NANOS);
                if (pause > 0) {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                }
            }
            add(recording.lastChunks());
            write(out, pendingBytes);
        } finally {
            if (currentIn != null) {
                currentIn.close();
            }
        }
    }

    private void add(Path chunks) throws IOException {
        if (chunks != null) {
            pending.add(chunks);
            pendingBytes += Files.size(chunks);
        }
    }

    /** Writes and flushes the next {@code bytes} in hand, deleting each file once it is sent. */
    private void write(OutputStream out, long bytes) throws IOException {
        if (bytes == 0) {
            return;
        }
        for (long left = bytes; left > 0; ) {
            if (currentIn == null) {
                current = pending.remove();
                currentIn = Files.newInputStream(current);
            }
            int n = currentIn.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                currentIn.close();
                currentIn = null;
                recording.delete(current);
                continue;
            }
            out.write(buffer, 0, n);
            left -= n;
            pendingBytes -= n;
        }
        out.flush();
    }

    @Override
    public void release() {
        recording.close();
        release.run();
    }
}
