package dev.pprof4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the {@code mutex} and {@code block} profiles cost a lock-heavy
 * application: throughput of four threads that take a contended
 * {@code synchronized} block and a contended {@link ReentrantLock} in every
 * operation, park briefly now and then, and rarely hold the monitor for
 * milliseconds, with pprof4j's {@link ContentionProfile}s off and on at JFR
 * thresholds given by {@code threshold}, in the same run. docs/benchmarks.md
 * has the method and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(3)
@Threads(4)
public class ContentionBenchmark {

    /** Rounds of {@link #mix} under each lock, and outside them. */
    private static final int WORK_LOCKED = 256;
    private static final int WORK_UNLOCKED = 1024;
    /** One operation in this many parks for a few tens of microseconds. */
    private static final int PARK_EVERY = 32;
    private static final long PARK_NANOS = 20_000;
    /** One operation in this many holds the monitor for 1, 2, 4, 8, 16 or 32 ms. */
    private static final int LONG_HOLD_EVERY = 1 << 16;

    /** JFR's threshold for the wait events, as {@code PprofOptions.contentionThreshold}. */
    @Param({"10ms"})
    public String threshold;

    /**
     * {@code off}: no pprof4j; {@code mutex} or {@code block}: that profile
     * alone; {@code contention}: both, what a handler runs. JMH orders
     * parameters by name, so {@code off} runs next to the profiles at each
     * threshold.
     */
    @Param({"off", "contention"})
    public String with;

    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private long underMonitor;
    private long underLock;

    private ContentionProfile mutex;
    private ContentionProfile block;
    private long startNanos;
    private long startJfrCpuNanos;

    @Setup(Level.Trial)
    public void start() {
        Duration wait = Duration.ofMillis(Long.parseLong(threshold.replace("ms", "")));
        startNanos = System.nanoTime();
        startJfrCpuNanos = JfrThreadsCpu.nanos();
        if (with.equals("mutex") || with.equals("contention")) {
            mutex = ContentionProfile.mutex(64, PprofOptions.DEFAULT_MAX_STACKS, wait);
        }
        if (with.equals("block") || with.equals("contention")) {
            block = ContentionProfile.block(64, PprofOptions.DEFAULT_MAX_STACKS, wait);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        // The direct cost: CPU time of JFR's own threads (recorder, stream), per second of the trial.
        long elapsedNanos = System.nanoTime() - startNanos;
        double cpuShare = (double) (JfrThreadsCpu.nanos() - startJfrCpuNanos) / elapsedNanos;
        System.out.printf("%nJFR threads' CPU: %.2f%% of one core (%s, threshold %s)%n", cpuShare * 100, with,
                threshold);
        // How often the profiles recorded a wait: contentions over the trial, warm-up included.
        List<String> rates = new ArrayList<>();
        for (ContentionProfile profile : new ContentionProfile[] {mutex, block}) {
            if (profile != null) {
                long contentions = profile.snapshot().total(0);
                rates.add(String.format("%s %.0f", profile.name(), contentions * 1e9 / elapsedNanos));
            }
        }
        if (!rates.isEmpty()) {
            System.out.printf("Waits recorded per second: %s (threshold %s)%n", String.join(", ", rates), threshold);
        }
        if (mutex != null) {
            mutex.close();
        }
        if (block != null) {
            block.close();
        }
    }

    /**
     * A contended {@code synchronized} block, then a contended
     * {@code ReentrantLock}, a short park in one operation of
     * {@value #PARK_EVERY}, and in one of {@value #LONG_HOLD_EVERY} the
     * monitor held (parked) for milliseconds, which the other threads wait out.
     */
    @Benchmark
    public long operation() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long x = random.nextLong();
        long result;
        synchronized (monitor) {
            underMonitor = mix(underMonitor ^ x, WORK_LOCKED);
            if (random.nextInt(LONG_HOLD_EVERY) == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1L << random.nextInt(6)));
            }
            result = underMonitor;
        }
        lock.lock();
        try {
            underLock = mix(underLock + result, WORK_LOCKED);
            result = underLock;
        } finally {
            lock.unlock();
        }
        if (random.nextInt(PARK_EVERY) == 0) {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return mix(result, WORK_UNLOCKED);
    }

    /** CPU work, a couple of nanoseconds a round. */
    private static long mix(long value, int rounds) {
        for (int i = 0; i < rounds; i++) {
            value = (value ^ (value >>> 31)) * 0x9E3779B97F4A7C15L;
        }
        return value;
    }
}
