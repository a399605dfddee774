package dev.pprof4j;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * JFR's samplers of a {@link PprofHandler}: heap, allocations, thread
 * creation and contention. They start on a thread of pprof4j's own, since
 * starting JDK Flight Recorder takes a few hundred milliseconds of CPU that
 * no application thread should wait for; a request that comes before they
 * have started waits for them, up to {@link #START_WAIT}.
 *
 * <p>Started before the handler exists, they sample what an application
 * allocates while it starts (a framework's context, caches filled at
 * startup), which then has live samples and counts at its allocation
 * stacks, instead of only in rows of classes no sample explains. Start them
 * as early as the application can, and hand them to
 * {@link PprofHandler#PprofHandler(PprofOptions, PprofSamplers)}, which
 * adopts them: it serves what they have sampled since they started, and
 * stops them when it closes. Samplers no handler adopts hold a JFR
 * recording until {@linkplain #close closed}.
 *
 * <p>Where JFR cannot record, the samplers sample nothing, the reason is
 * logged once, and the handler given them answers 503 with it.
 */
public final class PprofSamplers implements AutoCloseable {

    /** How long a request waits for sampling to start before it is answered 503, to try again. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    /** The options the samplers were made with; a handler with others makes its own. */
    private record Settings(int allocationSamplesPerSecond, int stackDepth, int maxStacks,
            Duration contentionThreshold, Set<PprofOptions.Sampler> samplersOff) {
        static Settings of(PprofOptions options) {
            return new Settings(options.allocationSamplesPerSecond(), options.stackDepth(), options.maxStacks(),
                    options.contentionThreshold(), options.samplersOff());
        }

        boolean samples(PprofOptions.Sampler sampler) {
            return PprofOptions.samples(samplersOff, sampler);
        }
    }

    private final Settings settings;
    private HeapData heap;
    private ThreadCreationProfile threadCreation;
    private ContentionProfile mutex;
    private ContentionProfile block;
    /** Why sampling could not start, once it has tried. */
    private JfrUnavailableException failure;
    private boolean started;
    private boolean adopted;
    private boolean closed;

    private PprofSamplers(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts sampling heap, allocations, thread creation and contention as
     * {@code options} say (the CPU profile samples only while a request
     * runs), on a thread of pprof4j's own; returns at once. Never throws:
     * where JFR cannot record, the samplers sample nothing and the handler
     * given them says why.
     */
    public static PprofSamplers start(PprofOptions options) {
        PprofSamplers samplers = new PprofSamplers(Settings.of(options));
        Thread starter = new Thread(samplers::startSampling, "pprof4j-start");
        starter.setDaemon(true);
        starter.start();
        return samplers;
    }

    private void startSampling() {
        HeapData heapData = null;
        ThreadCreationProfile threads = null;
        ContentionProfile monitors = null;
        ContentionProfile waits = null;
        JfrUnavailableException unavailable = null;
        boolean done = false;
        try {
            // First: with every sampler off, nothing below would find out that JFR cannot record.
            JfrUnavailableException.requireFlightRecorder();
            if (settings.samples(PprofOptions.Sampler.HEAP)) {
                heapData = new HeapData(settings.allocationSamplesPerSecond(), settings.stackDepth(),
                        settings.maxStacks(), settings.samples(PprofOptions.Sampler.LIVE_OBJECTS));
            }
            if (settings.samples(PprofOptions.Sampler.THREAD_CREATION)) {
                threads = new ThreadCreationProfile(settings.stackDepth(), settings.maxStacks());
            }
            if (settings.samples(PprofOptions.Sampler.CONTENTION)) {
                monitors = ContentionProfile.mutex(settings.stackDepth(), settings.maxStacks(),
                        settings.contentionThreshold());
                waits = ContentionProfile.block(settings.stackDepth(), settings.maxStacks(),
                        settings.contentionThreshold());
            }
            done = true;
        } catch (JfrUnavailableException e) {
            unavailable = e;
        } catch (LinkageError e) {
            // A runtime image built without the jdk.jfr module.
            unavailable = new JfrUnavailableException(JfrUnavailableException.NOT_IN_RUNTIME, e);
        } catch (RuntimeException e) {
            unavailable = new JfrUnavailableException(JfrUnavailableException.COULD_NOT_START, e);
        } finally {
            synchronized (this) {
                heap = heapData;
                threadCreation = threads;
                mutex = monitors;
                block = waits;
                if (unavailable == null && !done) {
                    // An Error ended the start: answer as JFR that could not start.
                    unavailable = new JfrUnavailableException(JfrUnavailableException.COULD_NOT_START);
                }
                failure = unavailable;
                started = true;
                if (closed || failure != null) {
                    stop();
                }
                notifyAll();
            }
        }
        if (unavailable != null) {
            unavailable.logOnce("pprof4j serves no heap, allocs, threadcreate, mutex or block profile");
        }
    }

    /**
     * These samplers for a handler with {@code options}, which then owns them; or null, after closing them,
     * if they were closed, adopted already, or made with other sampling options.
     */
    synchronized PprofSamplers adoptFor(PprofOptions options) {
        if (closed || adopted || !settings.equals(Settings.of(options))) {
            close();
            return null;
        }
        adopted = true;
        return this;
    }

    /**
     * Waits, up to {@link #START_WAIT}, until sampling has started.
     *
     * @throws JfrUnavailableException if JFR could not start
     * @throws SamplingStartingException if it has not started in that time
     * @throws SamplingStoppedException if the samplers were closed
     */
    synchronized void awaitStarted() throws InterruptedException {
        if (!await(START_WAIT, true)) {
            throw new SamplingStartingException();
        }
        if (closed) {
            throw new SamplingStoppedException();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Waits up to {@code timeout} until sampling has started (a few hundred milliseconds after
     * {@link #start}) or could not start; returns whether it has come to either. Samplers closed meanwhile
     * have stopped again by then.
     */
    public synchronized boolean awaitSampling(Duration timeout) throws InterruptedException {
        return await(timeout, false);
    }

    private boolean await(Duration timeout, boolean untilClosed) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!started && !(untilClosed && closed)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    /** Whether sampling has started, or failed to; never waits. */
    synchronized boolean hasStarted() {
        return started;
    }

    synchronized HeapData heap() {
        return heap;
    }

    synchronized ThreadCreationProfile threadCreation() {
        return threadCreation;
    }

    synchronized ContentionProfile mutex() {
        return mutex;
    }

    synchronized ContentionProfile block() {
        return block;
    }

    /**
     * Stops sampling, unless a handler has adopted the samplers: then the
     * handler stops them when it closes. Closing again does nothing.
     */
    @Override
    public synchronized void close() {
        if (!adopted) {
            release();
        }
    }

    /** Stops sampling, adopted or not; samplers still starting stop once started. */
    synchronized void release() {
        closed = true;
        notifyAll();
        if (started) {
            stop();
        }
    }

    private void stop() {
        if (heap != null) {
            heap.close();
        }
        if (threadCreation != null) {
            threadCreation.close();
        }
        if (mutex != null) {
            mutex.close();
        }
        if (block != null) {
            block.close();
        }
    }
}
