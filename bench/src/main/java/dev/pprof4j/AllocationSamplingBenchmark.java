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
 * What continuous allocation sampling costs an allocation-heavy application:
 * throughput of a request-like workload (maps, lists, strings, byte arrays of
 * mixed sizes) with {@link AllocationSampler} off ({@code rate=0}) and on at
 * several JFR throttles, in the same run. docs/benchmarks.md has the method
 * and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(3)
@Threads(2)
public class AllocationSamplingBenchmark {

    /** Samples per second; 0 runs without pprof4j. */
    @Param({"0", "150", "500", "1000", "5000"})
    public int rate;

    private AllocationSampler sampler;

    @Setup(Level.Trial)
    public void start() {
        if (rate > 0) {
            sampler = new AllocationSampler(rate, 64, 10_000, new ObjectSizes());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
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
