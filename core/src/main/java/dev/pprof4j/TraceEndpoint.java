package dev.pprof4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code /debug/pprof/trace}: the JVM's counterpart of Go's execution trace,
 * a JDK Flight Recorder recording of the next {@code seconds} (a decimal,
 * 1 by default, as Go's) with the JDK's {@code profile} settings: CPU samples,
 * allocations, locks, I/O, GC and JIT events on one timeline. Served as
 * {@code trace.jfr}, the name JDK Mission Control opens; {@code jfr summary}
 * and {@code jfr print} read it too. It is not Go's trace format: {@code go
 * tool trace} cannot read it.
 */
final class TraceEndpoint {

    static final String DESCRIPTION = "A JDK Flight Recorder recording of the current program (Java's counterpart of"
            + " Go's execution trace). You can specify the duration in the seconds GET parameter. Open the file in"
            + " JDK Mission Control, or read it with the jfr command.";
    /** Beyond this, JFR drops the oldest part of the window: the response is held in memory. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private TraceEndpoint() {
    }

    /** Go's parsing: a decimal; missing, unparsable, zero or negative means 1 second. */
    static double seconds(String value) {
        try {
            double seconds = Double.parseDouble(value);
            return seconds > 0 && !Double.isInfinite(seconds) ? seconds : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * Records for {@code seconds} and returns the recording's bytes.
     *
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     */
    static byte[] record(double seconds) throws IOException, InterruptedException {
        JfrUnavailableException.requireFlightRecorder();
        Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (ParseException | RuntimeException | LinkageError e) {
            throw new JfrUnavailableException("JDK Flight Recorder cannot record here: " + e);
        }
        Path file = Files.createTempFile("pprof4j-trace", ".jfr");
        try (recording) {
            recording.setName("pprof4j trace");
            recording.setMaxSize(MAX_BYTES);
            recording.setToDisk(true);
            recording.start();
            long nanos = (long) (seconds * 1_000_000_000L);
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            recording.stop();
            recording.dump(file);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
