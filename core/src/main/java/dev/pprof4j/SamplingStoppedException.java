package dev.pprof4j;

/**
 * The handler was closed, which stopped its sampling, while a request
 * waited for samples: answered with 503, as a profile JFR cannot give, but
 * nothing is wrong with JFR.
 */
final class SamplingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SamplingStoppedException() {
        super("pprof4j has stopped sampling: its handler was closed");
    }
}
