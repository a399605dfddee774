package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What rendering a full heap profile costs a request: a profile of
 * {@code stacks} distinct stacks (the default cap is 4,096) of 30 frames
 * each, drawn from a few thousand distinct frames that share framework-like
 * prefixes, encoded as the gzipped protobuf every client reads or as
 * {@code debug=1} text. Run with {@code -prof gc} for the memory one
 * rendering allocates. docs/benchmarks.md has the method and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class HeapEncodeBenchmark {

    private static final int DEPTH = 30;

    @Param({"4096"})
    public int stacks;

    private StackProfile profile;
    private FrameTable frameTable;
    private ProfileEncoder encoder;

    @Setup
    public void build() {
        Random random = new Random(42);
        // Framework frames every stack passes through, then application frames, then a leaf.
        List<Frame> framework = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            framework.add(Frame.of("org.framework.layer" + i + ".Dispatcher", "handle", "Dispatcher.java", 100 + i));
        }
        List<StackProfile.Sample> samples = new ArrayList<>();
        for (int s = 0; s < stacks; s++) {
            List<Frame> stack = new ArrayList<>(DEPTH);
            stack.add(Frame.of("com.example.leaf.Site" + s, "allocate", "Site" + s + ".java", 10 + s % 90));
            for (int i = 1; i < DEPTH - framework.size(); i++) {
                int application = random.nextInt(2000);
                stack.add(Frame.of("com.example.service.Component" + application, "call" + i,
                        "Component" + application + ".java", 20 + i));
            }
            stack.addAll(framework);
            long objects = 1 + random.nextInt(10_000);
            samples.add(new StackProfile.Sample(stack, new long[] {objects, objects * 48, objects / 3,
                    objects * 16}));
        }
        profile = new StackProfile(HeapData.SAMPLE_TYPES, null, new StackProfile.ValueType("space", "bytes"), 0,
                StackProfile.nowNanos(), 0, samples, List.of());
        frameTable = new FrameTable(1 << 17);
        encoder = new ProfileEncoder(frameTable, "bench");
    }

    @Benchmark
    public byte[] protobuf() throws IOException {
        return encoder.encode(profile);
    }

    @Benchmark
    public int text() {
        StringWriter text = new StringWriter();
        HeapProfileText.write(profile, frameTable, new PrintWriter(text));
        return text.getBuffer().length();
    }
}
