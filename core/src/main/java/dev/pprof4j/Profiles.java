package dev.pprof4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profiles a handler serves, and the JFR sampling behind them: started,
 * or adopted from {@link PprofSamplers} started earlier, when made, and
 * stopped when closed. Where JFR cannot record, the JFR-based profiles are
 * {@link UnavailableProfile}s that answer 503 with the reason, logged here
 * once.
 */
final class Profiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Profiles.class);

    private final List<NamedProfile> named = new ArrayList<>();
    private final AtomicBoolean unavailableLogged = new AtomicBoolean();
    private CpuProfiler cpu;
    private String cpuUnavailable;
    private PprofSamplers samplers;

    Profiles(PprofOptions options, PprofSamplers early) {
        named.add(new ThreadProfile(options.stackDepth()));
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
        JfrUnavailableException unavailable;
        try {
            samplers = early != null ? early.adoptFor(options) : null;
            // Samples only while a profile request runs; there it says why JFR cannot.
            cpu = new CpuProfiler(options.cpuSamplingPeriod(), options.stackDepth(), options.maxStacks());
            if (samplers == null) {
                samplers = new PprofSamplers(options);
            }
            named.add(HeapProfile.heap(samplers.heap()));
            named.add(HeapProfile.allocs(samplers.heap()));
            named.add(samplers.threadCreation());
            named.add(samplers.mutex());
            named.add(samplers.block());
            return;
        } catch (JfrUnavailableException e) {
            unavailable = e;
        } catch (LinkageError e) {
            // A runtime image built without the jdk.jfr module.
            unavailable = new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME, e);
            cpuUnavailable = unavailable.getMessage();
            cpu = null;
        }
        closeSamplers();
        unavailableLogged.set(true);
        log.warn("pprof4j serves no heap, allocs, threadcreate, mutex or block profile: {}", reason(unavailable));
        String answer = unavailable.getMessage();
        named.add(new UnavailableProfile("heap", Descriptions.of("heap"), answer));
        named.add(new UnavailableProfile("allocs", Descriptions.of("allocs"), answer));
        named.add(new UnavailableProfile("threadcreate", Descriptions.of("threadcreate"), answer));
        named.add(new UnavailableProfile("mutex", Descriptions.of("mutex"), answer));
        named.add(new UnavailableProfile("block", Descriptions.of("block"), answer));
    }

    /** Why JFR cannot record, for the log: the cause the client's answer leaves out. */
    private static String reason(JfrUnavailableException e) {
        return e.getCause() == null ? e.getMessage() : e.getCause().toString();
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
        if (e.getCause() != null && unavailableLogged.compareAndSet(false, true)) {
            log.warn("pprof4j cannot record with JDK Flight Recorder: {}", reason(e));
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
