package dev.pprof4j;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JFR's samplers of a {@link PprofHandler}, started before the handler
 * exists: what an application allocates while it starts (a framework's
 * context, caches filled at startup) then has live samples and counts at
 * its allocation stacks, instead of only in rows of classes no sample
 * explains. Start them as early as the application can, and hand them to
 * {@link PprofHandler#PprofHandler(PprofOptions, PprofSamplers)}, which
 * adopts them: it serves what they have sampled since they started, and
 * stops them when it closes. Samplers no handler adopts hold a JFR
 * recording until {@linkplain #close closed}.
 *
 * <p>Where JFR cannot record, {@link #start} returns samplers that sample
 * nothing, and the handler answers as it would without them.
 */
public final class PprofSamplers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PprofSamplers.class);

    /** The options the samplers were made with; a handler with others makes its own. */
    private record Settings(int allocationSamplesPerSecond, int stackDepth, int maxStacks,
            Duration contentionThreshold) {
        static Settings of(PprofOptions options) {
            return new Settings(options.allocationSamplesPerSecond(), options.stackDepth(), options.maxStacks(),
                    options.contentionThreshold());
        }
    }

    private final Settings settings;
    private HeapData heap;
    private ThreadCreationProfile threadCreation;
    private ContentionProfile mutex;
    private ContentionProfile block;
    private boolean adopted;
    private boolean closed;

    /** @throws JfrUnavailableException if JFR cannot record in this JVM */
    PprofSamplers(PprofOptions options) {
        this.settings = Settings.of(options);
        try {
            heap = new HeapData(options.allocationSamplesPerSecond(), options.stackDepth(), options.maxStacks());
            threadCreation = new ThreadCreationProfile(options.stackDepth(), options.maxStacks());
            mutex = ContentionProfile.mutex(options.stackDepth(), options.maxStacks(), options.contentionThreshold());
            block = ContentionProfile.block(options.stackDepth(), options.maxStacks(), options.contentionThreshold());
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    private PprofSamplers() {
        this.settings = null;
        this.closed = true;
    }

    /**
     * Starts sampling heap, allocations, thread creation and contention as
     * {@code options} say (the CPU profile samples only while a request
     * runs). Never throws: where JFR cannot record, the samplers sample
     * nothing and the handler that is given them says why.
     */
    public static PprofSamplers start(PprofOptions options) {
        try {
            return new PprofSamplers(options);
        } catch (JfrUnavailableException | LinkageError e) {
            // The handler tries again, and logs it once, with the 503s it then serves.
            log.debug("pprof4j could not start sampling early", e);
            return new PprofSamplers();
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

    HeapData heap() {
        return heap;
    }

    ThreadCreationProfile threadCreation() {
        return threadCreation;
    }

    ContentionProfile mutex() {
        return mutex;
    }

    ContentionProfile block() {
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

    /** Stops sampling, adopted or not. */
    synchronized void release() {
        closed = true;
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
