package dev.pprof4j;

/**
 * JDK Flight Recorder cannot record in this JVM (disabled, not built in, or
 * refused): the JFR-based profiles answer 503 while the others still work.
 */
final class JfrUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

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
}
