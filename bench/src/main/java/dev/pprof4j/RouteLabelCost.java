package dev.pprof4j;

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

/**
 * What labelling a request with its route costs: the adapters' work per
 * request ({@link RouteLabels#open} and its close), alone ({@code none}),
 * with the label history kept as it is while the allocation sampler runs
 * ({@code history}, the default), and with a user's own labels merged in
 * ({@code user}). The baseline is a request that does nothing pprof4j's
 * ({@code off}). One thread by default; {@code -t 2} runs one per core of
 * the machines measured. docs/benchmarks.md has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@Threads(1)
public class RouteLabelCost {

    private static final Map<String, String> TENANT = Map.of("tenant", "t1");

    @Param({"off", "none", "history", "user"})
    public String labels;

    @Setup(Level.Trial)
    public void start() {
        if (!labels.equals("none") && !labels.equals("off")) {
            PprofLabels.startRecording();
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (!labels.equals("none") && !labels.equals("off")) {
            PprofLabels.stopRecording();
        }
    }

    /** One request's labelling: what the Spring interceptor, Javalin wrapper and servlet filter do. */
    @Benchmark
    public Map<String, String> request() {
        if (labels.equals("off")) {
            return PprofLabels.current();
        }
        try (PprofLabels.Scope request = RouteLabels.open("GET", "/orders/{id}")) {
            if (labels.equals("user")) {
                try (PprofLabels.Scope user = PprofLabels.open(TENANT)) {
                    return PprofLabels.current();
                }
            }
            return PprofLabels.current();
        }
    }
}
