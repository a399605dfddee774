package dev.pprof4j.testing.heap;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.testing.JdkHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The heap-truth benchmark, run by {@code scripts/heap-truth.sh}.
 *
 * <p>{@code run}: measures every shape once in this JVM, one handler serving
 * them all, and prints one result line per figure:
 * {@code result<TAB>jdk<TAB>shape<TAB>figure<TAB>value}. {@code table FILE...}:
 * prints, per shape and JDK, the range of each figure over the runs in the
 * files as markdown, then the figures outside the targets. Result
 * lines of the same form from elsewhere (the example service's leak demo, for
 * the leak amid framework allocation) join the table when added to a file.
 */
public final class HeapTruthBench {

    private static final String SPRING_SHAPE = "spring-service";
    private static final List<String> FIGURES = List.of("leak share", "in-use/truth", "max garbage share",
            "leak ratio/true ratio");

    private HeapTruthBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("table")) {
            List<String> lines = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                lines.addAll(Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8));
            }
            System.out.print(table(lines));
        } else if (args.length > 0 && args[0].equals("run")) {
            run(Duration.ofSeconds(Long.getLong("heap-truth.seconds", 10)),
                    Duration.ofSeconds(Long.getLong("heap-truth.slowSeconds", 120)));
        } else {
            throw new IllegalArgumentException("usage: HeapTruthBench run | table FILE...");
        }
    }

    private static void run(Duration workload, Duration slow) throws Exception {
        String jdk = Integer.toString(Runtime.version().feature());
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            for (LeakShape shape : List.of(new SiblingGarbage(workload), new SharedHelper(workload),
                    new Meters(workload), new TwoLeaks(workload), new SlowLeak(slow))) {
                HeapTruth.Reading reading;
                try (shape) {
                    reading = HeapTruth.measure(shape, server.origin() + "/debug/pprof");
                }
                System.err.println(reading);
                print(jdk, reading.shape(), "leak share", reading.leakShare());
                print(jdk, reading.shape(), "in-use/truth", reading.inUseOverTruth());
                print(jdk, reading.shape(), "max garbage share", reading.maxGarbageShare());
                double[] ratio = reading.ratio();
                if (!Double.isNaN(ratio[0])) {
                    print(jdk, reading.shape(), "leak ratio/true ratio", ratio[0] / ratio[1]);
                }
                for (HeapTruth.Site site : reading.sites()) {
                    print(jdk, reading.shape(), "alloc/truth " + method(site.function()),
                            (double) site.allocSpace() / site.allocTruth());
                }
            }
        }
    }

    private static void print(String jdk, String shape, String figure, double value) {
        System.out.printf("result\t%s\t%s\t%s\t%.4f%n", jdk, shape, figure, value);
    }

    private static String method(String function) {
        return function.substring(function.lastIndexOf('.') + 1);
    }

    /** Markdown: one row per shape and JDK, each figure as min–max over the runs; then what misses the bounds. */
    static String table(List<String> lines) {
        Map<String, Map<String, Map<String, List<Double>>>> figures = new LinkedHashMap<>();
        for (String line : lines) {
            String[] field = line.split("\t");
            if (field.length == 5 && field[0].equals("result")) {
                figures.computeIfAbsent(field[2], s -> new TreeMap<>()).computeIfAbsent(field[1], j -> new TreeMap<>())
                        .computeIfAbsent(field[3], f -> new ArrayList<>()).add(Double.parseDouble(field[4]));
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("| shape | JDK | runs | leak share | in-use/truth | max garbage share | leak ratio/true ratio"
                + " | alloc_space/truth per site |\n");
        table.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<String> misses = new ArrayList<>();
        figures.forEach((shape, byJdk) -> byJdk.forEach((jdk, byFigure) -> {
            table.append("| ").append(shape).append(" | ").append(jdk).append(" | ")
                    .append(byFigure.get("leak share").size());
            for (String figure : FIGURES) {
                table.append(" | ").append(range(byFigure.get(figure)));
            }
            List<String> allocs = new ArrayList<>();
            byFigure.forEach((figure, values) -> {
                if (figure.startsWith("alloc/truth ")) {
                    allocs.add(figure.substring("alloc/truth ".length()) + " " + range(values));
                }
                misses(shape, jdk, figure, values, misses);
            });
            table.append(" | ").append(String.join(", ", allocs)).append(" |\n");
        }));
        if (!figures.containsKey(SPRING_SHAPE)) {
            table.append("| ").append(SPRING_SHAPE).append(" | | | measured by examples/run-leak-demo.sh | | | | |\n");
        }
        table.append(misses.isEmpty() ? "\nEvery figure within the targets.\n"
                : "\nOutside the targets (leak share >= 0.95, in-use/truth and alloc/truth 0.85-1.15 and"
                        + " 0.90-1.10, garbage share <= 0.03, ratio 0.75-1.25):\n\n");
        misses.forEach(miss -> table.append("- ").append(miss).append('\n'));
        return table.toString();
    }

    private static void misses(String shape, String jdk, String figure, List<Double> values, List<String> misses) {
        double low;
        double high;
        if (figure.equals("leak share")) {
            low = 0.95;
            high = Double.MAX_VALUE;
        } else if (figure.equals("in-use/truth")) {
            low = 0.85;
            high = 1.15;
        } else if (figure.equals("max garbage share")) {
            low = -Double.MAX_VALUE;
            high = 0.03;
        } else if (figure.equals("leak ratio/true ratio")) {
            low = 0.75;
            high = 1.25;
        } else {
            low = 0.90;
            high = 1.10;
        }
        long out = values.stream().filter(value -> value < low || value > high).count();
        if (out > 0) {
            misses.add(String.format("%s, JDK %s, %s: %d of %d runs (%s)", shape, jdk, figure, out, values.size(),
                    range(values)));
        }
    }

    private static String range(List<Double> values) {
        if (values == null) {
            return "";
        }
        String min = String.format("%.2f", values.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        String max = String.format("%.2f", values.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        return min.equals(max) ? min : min + "–" + max;
    }
}
