package dev.pprof4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The profiles a handler serves, and the JFR sampling behind them: started
 * on pprof4j's own thread, or adopted from {@link PprofSamplers} started
 * earlier, when made, and stopped when closed. Where JFR cannot record,
 * the JFR-based profiles answer 503 with the reason, logged once.
 */
final class Profiles implements AutoCloseable {

    private final List<NamedProfile> named = new ArrayList<>();
    private CpuProfiler cpu;
    private String cpuUnavailable;
    private PprofSamplers samplers;

    Profiles(PprofOptions options, PprofSamplers early) {
        named.add(new ThreadProfile(options.stackDepth()));
        named.add(new DeadlockProfile(options.stackDepth()));
        try {
            startSampling(options, early);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        for (CustomProfile profile : options.profiles()) {
            named.add(profile.served());
        }
    }

    private void startSampling(PprofOptions options, PprofSamplers early) {
        if (ModuleLayer.boot().findModule("jdk.jfr").isEmpty()) {
            JfrUnavailableException unavailable = new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME);
            unavailable.logOnce("pprof4j serves none of the profiles JDK Flight Recorder samples");
            cpuUnavailable = unavailable.getMessage();
            for (String name : List.of("heap", "allocs", "threadcreate", "mutex", "block")) {
                named.add(new UnavailableProfile(name, Descriptions.of(name), cpuUnavailable));
            }
            if (early != null) {
                early.close();
            }
            return;
        }
        // Samples only while a profile request runs; there it says why JFR cannot.
        cpu = new CpuProfiler(options.cpuSamplingPeriod(), options.stackDepth(), options.maxStacks());
        samplers = early != null ? early.adoptFor(options) : null;
        if (samplers == null) {
            samplers = PprofSamplers.start(options);
        }
        addSampled(options, PprofOptions.Sampler.HEAP, "heap");
        addSampled(options, PprofOptions.Sampler.HEAP, "allocs");
        addSampled(options, PprofOptions.Sampler.THREAD_CREATION, "threadcreate");
        addSampled(options, PprofOptions.Sampler.CONTENTION, "mutex");
        addSampled(options, PprofOptions.Sampler.CONTENTION, "block");
    }

    /** A profile of the samplers; where its sampler is off, one that says so with 503. */
    private void addSampled(PprofOptions options, PprofOptions.Sampler sampler, String name) {
        named.add(options.samples(sampler) ? new SampledProfile(name, samplers)
                : new UnavailableProfile(name, Descriptions.of(name), offMessage(sampler)));
    }

    /** The answer of a profile whose sampler the options turned off. */
    static String offMessage(PprofOptions.Sampler sampler) {
        return "this profile is turned off: pprof4j's samplersOff has " + sampler;
    }

    /**
     * Waits up to {@code timeout} until sampling has started, or could not start; returns whether it has
     * come to either.
     */
    boolean awaitSampling(Duration timeout) throws InterruptedException {
        return samplers == null || samplers.awaitSampling(timeout);
    }

    /** The profiles served by name: goroutine, the JFR-based ones, then the application's own. */
    List<NamedProfile> named() {
        return named;
    }

    /** The CPU profiler, or null where the runtime has no JFR; {@link #cpuUnavailable} then says so. */
    CpuProfiler cpu() {
        return cpu;
    }

    String cpuUnavailable() {
        return cpuUnavailable;
    }

    /** JFR's 503; why JFR cannot record is logged once, here or when sampling could not start. */
    Response unavailable(JfrUnavailableException e) {
        if (e.getCause() != null) {
            e.logOnce("pprof4j cannot record with JDK Flight Recorder");
        }
        return Response.error(503, e.getMessage());
    }

    /**
     * Stops sampling. Profiles under way stop (a CPU profile ends its body
     * short); later snapshots of sampled profiles throw
     * {@link SamplingStoppedException}. Closing again does nothing.
     */
    @Override
    public void close() {
        if (cpu != null) {
            cpu.close();
        }
        closeSamplers();
    }

    private void closeSamplers() {
        if (samplers != null) {
            samplers.release();
        }
    }
}
