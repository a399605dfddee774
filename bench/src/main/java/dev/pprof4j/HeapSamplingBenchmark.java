package dev.pprof4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What continuous heap sampling costs an allocation-heavy application:
 * throughput of a request-like workload (maps, lists, strings, byte arrays of
 * mixed sizes) with pprof4j's {@link HeapData} (allocation samples and
 * JFR's leak profiler) off, with the allocation sampler alone, and whole, at
 * JFR throttles given by {@code rate}, in the same run. docs/benchmarks.md
 * has the method and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(3)
@Threads(2)
public class HeapSamplingBenchmark {

    /** {@code off}: no pprof4j; {@code allocations}: the allocation sampler alone; {@code heap}: what a handler runs. */
    @Param({"off", "allocations", "heap"})
    public String sampling;

    /** Allocation samples per second. */
    @Param({"300"})
    public int rate;

    private AutoCloseable sampler;
    private long startNanos;
    private long startJfrCpuNanos;

    @Setup(Level.Trial)
    public void start() {
        startNanos = System.nanoTime();
        startJfrCpuNanos = JfrThreadsCpu.nanos();
        if (sampling.equals("allocations")) {
            sampler = new AllocationSampler(rate, 64, PprofOptions.DEFAULT_MAX_STACKS, new ObjectSizes());
        } else if (sampling.equals("heap")) {
            sampler = new HeapData(rate, 64, PprofOptions.DEFAULT_MAX_STACKS);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        // The direct cost: CPU time of JFR's own threads (recorder, stream), per second of the trial.
        double cpuShare = (double) (JfrThreadsCpu.nanos() - startJfrCpuNanos) / (System.nanoTime() - startNanos);
        System.out.printf("%nJFR threads' CPU: %.2f%% of one core (%s, rate %d)%n", cpuShare * 100, sampling, rate);
        if (sampler != null) {
            sampler.close();
        }
    }

    @Benchmark
    public void request(Blackhole blackhole) {
        Map<String, Object> attributes = new HashMap<>();
        List<String> headers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "header-" + i;
            headers.add(name + ": " + i * 31);
            attributes.put(name, new byte[32 << (i & 5)]);
        }
        blackhole.consume(attributes);
        blackhole.consume(String.join("\n", headers));
    }
}
