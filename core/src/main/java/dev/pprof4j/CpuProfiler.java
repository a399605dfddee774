package dev.pprof4j;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;

/**
 * {@code profile}: where the program spends CPU time during the window a
 * request asks for, sampled by JDK Flight Recorder every period (10 ms by
 * default, Go's 100 Hz). Sampling runs only while a window is open, and
 * several windows may be open at once, each seeing exactly the samples
 * taken inside it.
 *
 * <p>The sampler is {@code jdk.CPUTimeSample} where the JVM has it (JDK 25
 * and later on Linux): each thread is sampled after every period of its own
 * CPU time, in Java or native code, as Go's profiler does. Elsewhere it is
 * {@code jdk.ExecutionSample}, which samples threads running Java code every
 * period of wall time; there each thread's exact CPU time, from the JVM's
 * counters, is divided among its sampled stacks (see {@link CpuWindow}).
 * {@code jdk.NativeMethodSample} is not used: it samples threads that wait
 * inside native calls (a server's accept and poll loops) as often as busy
 * ones, which would show idle threads as CPU.
 */
final class CpuProfiler implements AutoCloseable {

    static final String CPU_TIME_SAMPLE = "jdk.CPUTimeSample";
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    private static final String CPU_TIME_SAMPLES_LOST = "jdk.CPUTimeSamplesLost";
    static final Frame STACK_NOT_WALKED = new Frame("", "[JFR could not walk the stack]", "", 0);
    static final Frame SAMPLES_LOST = new Frame("", "[samples JFR lost]", "", 0);

    private final long periodNanos;
    private final int stackDepth;
    private final int maxStacks;
    private final List<CpuWindow> windows = new CopyOnWriteArrayList<>();
    private final List<SharedRecordingStream.Subscription> subscriptions = new ArrayList<>();
    private String sampler;
    private boolean closed;

    CpuProfiler(Duration period, int stackDepth, int maxStacks) {
        this.periodNanos = period.toNanos();
        this.stackDepth = stackDepth;
        this.maxStacks = maxStacks;
    }

    /**
     * Opens a window: sampling starts now, and the window sees every sample
     * taken until {@link #finish}. Always {@link #close} it.
     *
     * @throws JfrUnavailableException if JFR cannot record in this JVM
     * @throws SamplingStoppedException if the profiler was closed
     */
    synchronized CpuWindow open() {
        if (closed) {
            throw new SamplingStoppedException();
        }
        if (subscriptions.isEmpty()) {
            subscribe();
            PprofLabels.startRecording();
        }
        CpuWindow window = new CpuWindow(maxStacks);
        windows.add(window);
        return window;
    }

    /**
     * Ends a window now and returns its profile, once JFR has delivered its
     * last samples (a second or so), running {@code pulse} every quarter
     * second of that wait.
     *
     * @throws SamplingStoppedException if the profiler was closed meanwhile
     */
    <E extends Exception> StackProfile finish(CpuWindow window, SharedRecordingStream.Pulse<E> pulse)
            throws InterruptedException, E {
        CpuClock endClock = window.end();
        SharedRecordingStream.Subscription delivery;
        synchronized (this) {
            if (closed) {
                throw new SamplingStoppedException();
            }
            delivery = subscriptions.get(0);
        }
        delivery.awaitDelivery(pulse);
        return window.profile(endClock, periodNanos, sampler.equals(CPU_TIME_SAMPLE), comments());
    }

    /** Forgets a window; sampling stops with the last one. Closing again does nothing. */
    synchronized void close(CpuWindow window) {
        if (windows.remove(window) && windows.isEmpty()) {
            releaseSubscriptions();
        }
    }

    /** Which JFR event samples: {@link #CPU_TIME_SAMPLE} or {@link #EXECUTION_SAMPLE}. */
    synchronized String sampler() {
        if (sampler == null) {
            JfrUnavailableException.requireFlightRecorder();
            boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
            List<EventType> types;
            try {
                types = FlightRecorder.getFlightRecorder().getEventTypes();
            } catch (IllegalStateException e) {
                // JFR is there but cannot start, e.g. its repository (in the temporary directory) is unwritable.
                throw new JfrUnavailableException(JfrUnavailableException.COULD_NOT_START, e);
            }
            sampler = linux && types.stream().map(EventType::getName).anyMatch(CPU_TIME_SAMPLE::equals)
                    ? CPU_TIME_SAMPLE : EXECUTION_SAMPLE;
        }
        return sampler;
    }

    private void subscribe() {
        String period = periodNanos + " ns";
        try {
            if (sampler().equals(CPU_TIME_SAMPLE)) {
                subscriptions.add(SharedRecordingStream.subscribe(CPU_TIME_SAMPLE, this::record, PprofLabels::sweep,
                        "throttle", period));
                subscriptions.add(SharedRecordingStream.subscribe(CPU_TIME_SAMPLES_LOST, this::recordLost,
                        () -> { }));
            } else {
                subscriptions.add(SharedRecordingStream.subscribe(EXECUTION_SAMPLE, this::record, PprofLabels::sweep,
                        "period", period));
            }
        } catch (RuntimeException e) {
            releaseAll();
            throw e;
        }
    }

    /** Stops sampling; windows still open fail to {@link #finish} with {@link SamplingStoppedException}. */
    @Override
    public synchronized void close() {
        closed = true;
        releaseSubscriptions();
    }

    private void releaseSubscriptions() {
        if (!subscriptions.isEmpty()) {
            PprofLabels.stopRecording();
            releaseAll();
        }
    }

    private void releaseAll() {
        for (SharedRecordingStream.Subscription subscription : subscriptions) {
            SharedRecordingStream.release(subscription);
        }
        subscriptions.clear();
    }

    private List<String> comments() {
        String period = Duration.ofNanos(periodNanos).toMillis() + " ms";
        String source = sampler.equals(CPU_TIME_SAMPLE)
                ? "cpu: JDK Flight Recorder's " + CPU_TIME_SAMPLE + ", a sample per " + period
                        + " of each thread's CPU time"
                : "cpu: each thread's CPU time from the JVM's counters, divided among its stacks by JDK Flight"
                        + " Recorder's " + EXECUTION_SAMPLE + " (threads running Java code, sampled every " + period
                        + ")";
        return List.of(source, CpuWindow.NOT_SAMPLED.methodName() + ": the rest of the process's CPU time");
    }

    private void record(RecordedEvent event) {
        boolean cpuTime = event.getEventType().getName().equals(CPU_TIME_SAMPLE);
        RecordedThread thread = cpuTime ? event.getThread() : event.getThread("sampledThread");
        long threadId = thread == null ? -1 : thread.getJavaThreadId();
        long cpuNanos = cpuTime ? event.getDuration("samplingPeriod").toNanos() : 0;
        add(event.getStartTime(), threadId, () -> {
            if (cpuTime && event.getBoolean("failed")) {
                return List.of(STACK_NOT_WALKED);
            }
            List<Frame> stack = JfrStacks.frames(event.getStackTrace(), stackDepth);
            return stack.isEmpty() ? List.of(Frame.NO_JAVA_FRAMES) : stack;
        }, 1, cpuNanos);
    }

    private void recordLost(RecordedEvent event) {
        long lost = event.getInt("lostSamples");
        add(event.getStartTime(), -1, () -> List.of(SAMPLES_LOST), lost, lost * periodNanos);
    }

    private void add(Instant time, long threadId, Supplier<List<Frame>> stack, long samples, long cpuNanos) {
        long timeNanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        List<Frame> frames = null;
        Map<String, String> labels = null;
        for (CpuWindow window : windows) {
            if (window.covers(timeNanos)) {
                if (frames == null) {
                    frames = stack.get();
                    labels = PprofLabels.of(threadId, timeNanos);
                }
                // Samples that measure CPU need no thread's counter, so their rows are not kept per thread.
                window.add(sampler.equals(CPU_TIME_SAMPLE) ? CpuWindow.ANY_THREAD : threadId, frames, labels, samples,
                        cpuNanos);
            }
        }
    }
}
