package dev.pprof4j;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jfr.Configuration;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * One {@code trace} recording, with the JDK's {@code profile} settings less
 * the events that carry the process's environment, its properties, its
 * arguments or the host's processes ({@link #LEFT_OUT}). Those are switched
 * off in this recording; but JFR's disk repository is shared by every
 * recording of the JVM, and a dump holds what any of them enabled (a
 * {@code -XX:StartFlightRecording} with default settings records all of them).
 * So the dump is filtered before it is served, with
 * {@code RecordingFile.write(Path, Predicate)} where the JDK has it (19 and
 * later); on older JDKs a trace is refused while another recording records
 * them, and a dump that holds any is never served.
 *
 * <p>A JFR file is a sequence of self-contained chunks, and chunks can be
 * taken from a running recording as they finish ({@link #nextChunks}): each
 * such piece is filtered, or checked, as a whole dump is, and the pieces
 * put end to end are the recording.
 *
 * <p>Files are written to the temporary directory, readable by the JVM's
 * user only, named {@code pprof4j-trace-<pid>-…}, and deleted when the
 * response ends; those of a JVM that is no longer running are deleted by
 * the next trace.
 */
final class TraceRecording implements AutoCloseable {

    static final Set<String> LEFT_OUT = Set.of(
            "jdk.InitialEnvironmentVariable",
            "jdk.InitialSystemProperty",
            "jdk.JVMInformation",
            "jdk.SystemProcess",
            "jdk.ProcessStart",
            "jdk.JavaAgent",
            "jdk.NativeAgent",
            "jdk.StringFlag",
            "jdk.StringFlagChanged");
    static final String OTHER_RECORDING = "another JDK Flight Recorder recording in this JVM records the environment,"
            + " system properties, JVM arguments or the host's processes, and on this JDK pprof4j cannot leave them"
            + " out of a trace; stop that recording, or disable those events in its settings, or run on JDK 19 or"
            + " later, where pprof4j filters them out";
    /** Beyond this, JFR drops the oldest part of the window. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private static final String PREFIX = "pprof4j-trace-";
    private static final Pattern OWNER = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*\\.jfr");
    private static final Method FILTERED_WRITE = filteredWrite();

    /** A chunk's header: magic, version, then big-endian size (at 8), start (32) and duration (40) in nanoseconds. */
    private static final int CHUNK_HEADER_BYTES = 68;

    private final Recording recording;
    private final List<Path> files = new ArrayList<>();
    /** The start of the last chunk taken by {@link #nextChunks}, in epoch nanoseconds; later chunks start after it. */
    private long takenStartNanos = Long.MIN_VALUE;
    private Instant takenEnd;

    private TraceRecording(Recording recording) {
        this.recording = recording;
    }

    /** Whether this JDK can write a filtered copy of a recording. */
    static boolean canFilter() {
        return FILTERED_WRITE != null;
    }

    /**
     * Starts recording.
     *
     * @throws JfrUnavailableException if JFR cannot record here, or (on a JDK
     *         that cannot filter) another recording records what a trace leaves out
     */
    static TraceRecording start() {
        JfrUnavailableException.requireFlightRecorder();
        deleteFilesOfEndedProcesses();
        Recording recording;
        try {
            Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("profile").getSettings());
            for (String event : LEFT_OUT) {
                settings.put(event + "#enabled", "false");
            }
            recording = new Recording(settings);
        } catch (IOException | ParseException e) {
            throw new JfrUnavailableException("JDK Flight Recorder cannot read its profile settings here");
        }
        recording.setName("pprof4j trace");
        recording.setMaxSize(MAX_BYTES);
        recording.setToDisk(true);
        try {
            recording.start();
        } catch (RuntimeException e) {
            recording.close();
            throw new JfrUnavailableException("JDK Flight Recorder cannot start a recording here"
                    + " (is its repository writable?)");
        }
        TraceRecording trace = new TraceRecording(recording);
        if (!canFilter()) {
            trace.refuseIfOthersRecordLeftOutEvents();
        }
        return trace;
    }

    /** @throws JfrUnavailableException if another recording enables an event this JDK cannot filter out */
    void refuseIfOthersRecordLeftOutEvents() {
        for (EventType type : FlightRecorder.getFlightRecorder().getEventTypes()) {
            if (LEFT_OUT.contains(type.getName()) && type.isEnabled()) {
                close();
                throw new JfrUnavailableException(OTHER_RECORDING);
            }
        }
    }

    /**
     * Stops recording and returns the file to serve, which holds none of the
     * events left out.
     *
     * @throws JfrUnavailableException if the dump holds such events and this JDK cannot filter them
     */
    Path finish() throws IOException {
        recording.stop();
        Path dump = tempFile();
        recording.dump(dump);
        return servable(dump);
    }

    /**
     * Ends the chunk being written and returns, ready to serve, the chunks
     * of this recording that finished since the last call, or {@code null}
     * if there are none. A chunk ends when any recording of the JVM starts or
     * stops: a copy of this one is stopped, which also ends it for the
     * others (as any recording's start or stop does) and changes nothing
     * else: the copy records no setting of its own, so stopping it emits no
     * old-object samples.
     *
     * @throws JfrUnavailableException if the chunks hold left-out events and this JDK cannot filter them
     */
    Path nextChunks() throws IOException {
        try (Recording copy = recording.copy(false)) {
            copy.setSettings(Map.of());
            copy.stop();
            return takeNewChunks(copy);
        }
    }

    /** Stops recording and returns the chunks not yet taken by {@link #nextChunks}, or {@code null}. */
    Path lastChunks() throws IOException {
        recording.stop();
        return takeNewChunks(recording);
    }

    private Path takeNewChunks(Recording stopped) throws IOException {
        Path chunks = tempFile();
        boolean any = false;
        try (InputStream in = stopped.getStream(takenEnd, null); OutputStream out = Files.newOutputStream(chunks)) {
            if (in != null) {
                any = copyChunksAfter(new DataInputStream(in), out);
            }
        }
        if (!any) {
            delete(chunks);
            return null;
        }
        return servable(chunks);
    }

    /** Copies the chunks that start after the last one taken; the stream may begin with chunks already taken. */
    private boolean copyChunksAfter(DataInputStream in, OutputStream out) throws IOException {
        byte[] header = new byte[CHUNK_HEADER_BYTES];
        byte[] buffer = new byte[1 << 16];
        boolean any = false;
        while (true) {
            try {
                in.readFully(header);
            } catch (EOFException e) {
                return any;
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            long size = fields.getLong(8);
            long startNanos = fields.getLong(32);
            boolean taken = startNanos <= takenStartNanos;
            if (!taken) {
                out.write(header);
                takenStartNanos = startNanos;
                takenEnd = Instant.ofEpochSecond(0, startNanos + fields.getLong(40));
                any = true;
            }
            for (long left = size - CHUNK_HEADER_BYTES; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("JDK Flight Recorder's chunk ended early");
                }
                if (!taken) {
                    out.write(buffer, 0, n);
                }
                left -= n;
            }
        }
    }

    /** The file to serve for a dump: a filtered copy, or on an older JDK the dump itself if it holds nothing left out. */
    private Path servable(Path dump) throws IOException {
        if (FILTERED_WRITE == null) {
            if (holdsLeftOutEvents(dump)) {
                throw new JfrUnavailableException(OTHER_RECORDING);
            }
            return dump;
        }
        Path filtered = tempFile();
        try (RecordingFile file = new RecordingFile(dump)) {
            Predicate<RecordedEvent> kept = event -> !LEFT_OUT.contains(event.getEventType().getName());
            FILTERED_WRITE.invoke(file, filtered, kept);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        }
        delete(dump);
        return filtered;
    }

    /** Deletes a file this recording wrote, once it is served. */
    void delete(Path file) {
        TempFiles.deleteQuietly(file);
        files.remove(file);
    }

    private static boolean holdsLeftOutEvents(Path file) throws IOException {
        try (RecordingFile events = new RecordingFile(file)) {
            while (events.hasMoreEvents()) {
                if (LEFT_OUT.contains(events.readEvent().getEventType().getName())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Ends the recording and deletes its files. */
    @Override
    public void close() {
        recording.close();
        for (Path file : files) {
            TempFiles.deleteQuietly(file);
        }
        files.clear();
    }

    private Path tempFile() throws IOException {
        try {
            Path file = Files.createTempFile(PREFIX + ProcessHandle.current().pid() + "-", ".jfr");
            files.add(file);
            return file;
        } catch (IOException | RuntimeException e) {
            throw new JfrUnavailableException("pprof4j cannot write the recording to the temporary directory");
        }
    }

    /** What a JVM stopped during a trace left behind. */
    static void deleteFilesOfEndedProcesses() {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, PREFIX + "*.jfr")) {
            for (Path file : files) {
                Matcher owner = OWNER.matcher(file.getFileName().toString());
                if (owner.matches() && TempFiles.ownerEnded(owner.group(1))) {
                    TempFiles.deleteQuietly(file);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not ours to fail a trace over: the directory may be unreadable.
        }
    }

    /** {@code RecordingFile.write(Path, Predicate)}, JDK 19 and later; the build targets 17. */
    private static Method filteredWrite() {
        try {
            return RecordingFile.class.getMethod("write", Path.class, Predicate.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
