package dev.pprof4j;

/**
 * A profile this JVM cannot produce (JDK Flight Recorder is off or absent),
 * or whose sampler the options turned off: listed on the index as usual,
 * answered with 503 and the reason.
 */
record UnavailableProfile(String name, String description, String reason) implements NamedProfile {

    @Override
    public long count() {
        return 0;
    }

    /** True, so that {@code seconds} is validated as for the real profile before the 503. */
    @Override
    public boolean supportsDelta() {
        return true;
    }

    @Override
    public StackProfile snapshot() {
        throw new JfrUnavailableException(reason);
    }
}
