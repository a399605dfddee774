package dev.pprof4j;

import java.io.IOException;

/**
 * {@code /debug/pprof/trace}: the JVM's counterpart of Go's execution trace,
 * a JDK Flight Recorder recording of the next {@code seconds} (a decimal,
 * 1 by default, as Go's) with the JDK's {@code profile} settings: CPU samples,
 * allocations, locks, I/O, GC and JIT events on one timeline, less what
 * {@link TraceRecording} leaves out. Served as {@code trace.jfr}, the name
 * JDK Mission Control opens; {@code jfr summary} and {@code jfr print} read
 * it too. It is not Go's trace format: {@code go tool trace} cannot read it.
 *
 * <p>The status goes at once, and the body is written to at least four
 * times a second while the recording runs, so that a client that hangs up
 * ends it and frees its permit within a second or so: only a failed write
 * tells a server that its client has gone. To a client that accepts gzip
 * (Go's HTTP client, browsers, {@code curl --compressed}) the body is gzip,
 * empty deflate blocks while the recording runs and the recording at its end
 * ({@link GzipTraceBody}): one chunk, the smallest file. To other clients
 * ({@code curl -o}, raw sockets) the body is the recording itself, sent chunk
 * by chunk as chunks finish, with a little held back for each write
 * ({@link PacedTraceBody}); a JFR file is a sequence of self-contained
 * chunks, so the pieces end to end are one recording, but every chunk
 * repeats JFR's metadata, so such a file is larger. Either way the recording
 * is copied from disk to the response: it is not held in memory.
 *
 * <p>This class uses no JFR type itself, so that a runtime without the
 * {@code jdk.jfr} module gets a 503, not a linkage error.
 */
final class TraceEndpoint implements Endpoint {

    static final String NOT_IN_RUNTIME = "JDK Flight Recorder is not in this Java runtime (no jdk.jfr module)";

    private final TimedProfileLimit limit;

    TraceEndpoint(TimedProfileLimit limit) {
        this.limit = limit;
    }

    @Override
    public String name() {
        return "trace";
    }

    /** Go's {@code Trace} handler, answered with a JFR recording; several may run at once. */
    @Override
    public Response respond(PprofExchange exchange) throws IOException, InterruptedException {
        double seconds = seconds(RequestParameters.of(exchange).get("seconds"));
        Response tooLong = limit.refuseDuration(seconds);
        if (tooLong != null) {
            return tooLong;
        }
        if (!limit.tryStart()) {
            return limit.busy();
        }
        return record(seconds, acceptsGzip(String.join(",", exchange.requestHeaders("Accept-Encoding"))),
                limit::end);
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

    /** Whether the request's {@code Accept-Encoding} admits gzip. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String coding : acceptEncoding.split(",")) {
            String[] parts = coding.trim().split(";");
            if (parts[0].trim().equalsIgnoreCase("gzip")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].replace(" ", "");
                    if (parameter.matches("(?i)q=0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * Records for {@code seconds} and answers with the recording. {@code release}
     * runs once when the recording is over, whether it was served or not.
     *
     * @throws JfrUnavailableException if JFR cannot record here, or would serve what a trace leaves out
     */
    private static Response record(double seconds, boolean gzip, Runnable release)
            throws IOException, InterruptedException {
        Object started;
        try {
            started = TraceRecording.start();
        } catch (LinkageError e) {
            release.run();
            throw new JfrUnavailableException(NOT_IN_RUNTIME);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        TraceRecording recording = (TraceRecording) started;
        long nanos = (long) (seconds * 1_000_000_000L);
        if (gzip) {
            Response response = Response.streamed("trace.jfr", new GzipTraceBody(recording, nanos, release));
            response.headers().put("Content-Encoding", "gzip");
            response.headers().put("Vary", "Accept-Encoding");
            return response;
        }
        return Response.streamed("trace.jfr", new PacedTraceBody(recording, nanos, release));
    }
}
