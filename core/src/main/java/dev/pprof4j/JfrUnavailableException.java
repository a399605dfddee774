package dev.pprof4j;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JDK Flight Recorder cannot record in this JVM (disabled, not built in, or
 * refused): the JFR-based profiles answer 503 while the others still work.
 * The message is the client's answer, so it names no class or file; the
 * cause, if any, is for the server's log.
 */
final class JfrUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(JfrUnavailableException.class);
    /** Whether JFR's unavailability was logged: a fact about the JVM, said once in its log. */
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    static final String NOT_IN_RUNTIME = "JDK Flight Recorder is not in this Java runtime";
    static final String COULD_NOT_START = "JDK Flight Recorder could not start; the server log says why";

    /** @throws JfrUnavailableException if this JVM cannot record (Flight Recorder disabled or absent) */
    static void requireFlightRecorder() {
        if (!jdk.jfr.FlightRecorder.isAvailable()) {
            throw new JfrUnavailableException("JDK Flight Recorder is not available in this JVM");
        }
    }

    JfrUnavailableException(String message) {
        super(message);
    }

    JfrUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Logs {@code consequence} and why JFR cannot record (the cause the client's answer leaves out), once a JVM. */
    void logOnce(String consequence) {
        if (LOGGED.compareAndSet(false, true)) {
            log.warn("{}: {}", consequence, getCause() == null ? getMessage() : getCause().toString());
        }
    }
}
