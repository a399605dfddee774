package dev.pprof4j;

/**
 * A request came before JDK Flight Recorder had started sampling and
 * waited {@link PprofSamplers#START_WAIT} in vain: answered with 503 and
 * {@code Retry-After}.
 */
final class SamplingStartingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SamplingStartingException() {
        super("pprof4j is still starting JDK Flight Recorder; try again later");
    }
}
