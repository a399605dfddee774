package dev.pprof4j;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import jdk.jfr.EventSettings;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingStream;

/**
 * What pprof4j costs a service for being there: the CPU a fixed kind of work
 * takes with pprof4j's default sampling on, against the same work with no
 * profiling and with the raw JFR events pprof4j enables, each configuration
 * in a JVM of its own, interleaved in repetitions, so that the machine's
 * drift falls on all of them alike.
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar dev.pprof4j.AlwaysOnCost [repetitions [warm-up-seconds [measured-seconds]]]
 * </pre>
 *
 * <p>Two threads run request-like work under a 30-frame call depth, as long
 * as the measured phase lasts; the figure is the process's CPU time (its own
 * counter, every thread included) per operation, as a ratio to {@code off}'s
 * in the same repetition. Besides it, the CPU of JFR's threads (the stream
 * thread, where pprof4j's aggregation runs, apart) and, for {@code pprof4j},
 * the wall and CPU time {@code new PprofHandler()} took on its caller's thread
 * (in a JVM that has used the JDK's common machinery, as any application
 * has when it mounts pprof4j).
 * docs/benchmarks.md has the method and the figures.
 */
public final class AlwaysOnCost {

    /** What runs beside the work. */
    enum Configuration {
        /** Nothing. */
        OFF,
        /** The events pprof4j enables, with its settings, in a recording no one reads while it runs. */
        JFR_RECORDING,
        /** The same events streamed to a handler that does nothing with them: what JFR costs pprof4j. */
        JFR_STREAM,
        /** {@code new PprofHandler()}, at its defaults. */
        PPROF4J,
        /** pprof4j without JFR's leak profiler ({@code samplersOff(LIVE_OBJECTS)}). */
        PPROF4J_NO_LIVE_OBJECTS,
        /** pprof4j without {@code mutex} and {@code block} ({@code samplersOff(CONTENTION)}). */
        PPROF4J_NO_CONTENTION,
        /** pprof4j with contention and thread starts only ({@code samplersOff(HEAP)}). */
        PPROF4J_NO_HEAP,
        /** pprof4j sampling allocations at 1,000 a second instead of 300. */
        PPROF4J_RATE_1000,
        /** pprof4j keeping 16 frames a stack instead of 64. */
        PPROF4J_DEPTH_16;

        /** The comparison with raw JFR, on every workload. */
        static final List<Configuration> COMPARISON = List.of(OFF, JFR_RECORDING, JFR_STREAM, PPROF4J);
        /** What each of pprof4j's settings saves, on the service-like workload. */
        static final List<Configuration> SETTINGS = List.of(OFF, PPROF4J, PPROF4J_NO_LIVE_OBJECTS,
                PPROF4J_NO_CONTENTION, PPROF4J_NO_HEAP, PPROF4J_RATE_1000, PPROF4J_DEPTH_16);
    }

    /** The work two threads do. */
    enum Workload {
        /** Computation with some allocation: about 0.2 GB/s for each thread on the test machine. */
        SERVICE,
        /** Almost only allocation: several GB/s for each thread. */
        ALLOCATION
    }

    private static final int THREADS = 2;
    private static final int CALL_DEPTH = 30;
    private static final String RESULT = "RESULT ";
    private static volatile Object sink;

    private AlwaysOnCost() {
    }

    public static void main(String[] args) throws Exception {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        System.out.printf("java %s, %d cores; %d repetitions of %d s warm-up and %d s measured%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), repetitions, warmUp,
                measured);
        List<Workload> everyWorkload = List.of(Workload.values());
        Map<String, List<Trial>> comparison = runAll(Configuration.COMPARISON, everyWorkload, repetitions, warmUp,
                measured);
        Map<String, List<Trial>> settings = runAll(Configuration.SETTINGS, List.of(Workload.SERVICE), repetitions,
                warmUp, measured);
        report(comparison, Configuration.COMPARISON, everyWorkload, repetitions);
        report(settings, Configuration.SETTINGS, List.of(Workload.SERVICE), repetitions);
    }

    /** Every configuration on every workload, once a repetition; trials by workload and configuration. */
    private static Map<String, List<Trial>> runAll(List<Configuration> configurations, List<Workload> workloads,
            int repetitions, int warmUp, int measured) throws IOException, InterruptedException {
        Map<String, List<Trial>> trials = new HashMap<>();
        for (int repetition = 0; repetition < repetitions; repetition++) {
            for (Workload workload : workloads) {
                // Each repetition starts with another configuration, so that none always runs first.
                for (int i = 0; i < configurations.size(); i++) {
                    Configuration configuration = configurations.get((i + repetition) % configurations.size());
                    Trial trial = run(configuration, workload, warmUp, measured);
                    trial.repetition = repetition;
                    System.out.println(trial);
                    trials.computeIfAbsent(workload + " " + configuration, k -> new ArrayList<>()).add(trial);
                }
            }
        }
        return trials;
    }

    /** One configuration's run, as the child JVM measured it. */
    static final class Trial {
        Configuration configuration;
        Workload workload;
        int repetition;
        long operations;
        long cpuNanos;
        long wallNanos;
        long streamThreadNanos;
        long otherJfrThreadsNanos;
        long allocatedBytes;
        long workerNanos;
        long startWallNanos;
        long startCpuNanos;

        double cpuPerOperation() {
            return (double) cpuNanos / operations;
        }

        /** What neither the workers nor JFR's threads used: the JIT's and the collector's threads, mostly. */
        long restNanos() {
            return cpuNanos - workerNanos - streamThreadNanos - otherJfrThreadsNanos;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s #%d: %.1f ns CPU/op (workers %.1f), %.2f GB/s allocated;"
                    + " of one core: stream thread %.2f%%, other JFR threads %.2f%%, the rest %.2f%%;"
                    + " start %.1f ms wall, %.1f ms CPU", workload, configuration, repetition + 1, cpuPerOperation(),
                    (double) workerNanos / operations, allocatedBytes / (double) wallNanos,
                    100.0 * streamThreadNanos / wallNanos, 100.0 * otherJfrThreadsNanos / wallNanos,
                    100.0 * restNanos() / wallNanos, startWallNanos / 1e6, startCpuNanos / 1e6);
        }
    }

    private static Trial run(Configuration configuration, Workload workload, int warmUp, int measured)
            throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), configuration.name(), workload.name(), Integer.toString(warmUp),
                Integer.toString(measured)).redirectErrorStream(true).start();
        Trial trial = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    trial = parse(line.substring(RESULT.length()));
                } else if (!line.isBlank() && !line.contains(" INFO ")) {
                    System.out.println("  child: " + line);
                }
            }
        }
        if (child.waitFor() != 0 || trial == null) {
            throw new IllegalStateException(configuration + " " + workload + ": the child JVM failed");
        }
        trial.configuration = configuration;
        trial.workload = workload;
        return trial;
    }

    private static Trial parse(String line) {
        long[] v = Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
        Trial trial = new Trial();
        trial.operations = v[0];
        trial.cpuNanos = v[1];
        trial.wallNanos = v[2];
        trial.streamThreadNanos = v[3];
        trial.otherJfrThreadsNanos = v[4];
        trial.allocatedBytes = v[5];
        trial.startWallNanos = v[6];
        trial.startCpuNanos = v[7];
        trial.workerNanos = v[8];
        return trial;
    }

    /** Per workload and configuration: the ratio to {@code off}'s CPU per operation, median and range. */
    private static void report(Map<String, List<Trial>> trials, List<Configuration> configurations,
            List<Workload> workloads, int repetitions) {
        System.out.println();
        System.out.println("| workload | configuration | CPU/op to off: median (range) | workers' CPU/op to off | GB/s"
                + " | stream thread | other JFR threads | the rest | start on caller's thread: wall / CPU, median"
                + " (max) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Workload workload : workloads) {
            List<Trial> off = trials.get(workload + " " + Configuration.OFF);
            for (Configuration configuration : configurations) {
                List<Trial> runs = trials.get(workload + " " + configuration);
                double[] ratios = new double[repetitions];
                double[] workerRatios = new double[repetitions];
                for (int r = 0; r < repetitions; r++) {
                    ratios[r] = runs.get(r).cpuPerOperation() / off.get(r).cpuPerOperation();
                    workerRatios[r] = ((double) runs.get(r).workerNanos / runs.get(r).operations)
                            / ((double) off.get(r).workerNanos / off.get(r).operations);
                }
                double[] wall = runs.stream().mapToDouble(t -> t.startWallNanos / 1e6).toArray();
                double[] cpu = runs.stream().mapToDouble(t -> t.startCpuNanos / 1e6).toArray();
                System.out.printf(Locale.ROOT, "| %s | %s | %.3f (%.3f–%.3f) | %.3f | %.2f | %.2f%% | %.2f%% | %.2f%% |"
                        + " %s |%n",
                        workload.name().toLowerCase(Locale.ROOT), configuration.name().toLowerCase(Locale.ROOT)
                                .replace('_', ' '),
                        median(ratios), Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0),
                        median(workerRatios),
                        median(runs.stream().mapToDouble(t -> t.allocatedBytes / (double) t.wallNanos).toArray()),
                        median(runs.stream().mapToDouble(t -> 100.0 * t.streamThreadNanos / t.wallNanos).toArray()),
                        median(runs.stream().mapToDouble(t -> 100.0 * t.otherJfrThreadsNanos / t.wallNanos)
                                .toArray()),
                        median(runs.stream().mapToDouble(t -> 100.0 * t.restNanos() / t.wallNanos).toArray()),
                        configuration == Configuration.OFF ? "" : String.format(Locale.ROOT,
                                "%.1f / %.1f ms (%.1f / %.1f)", median(wall), median(cpu),
                                Arrays.stream(wall).max().orElse(0), Arrays.stream(cpu).max().orElse(0)));
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** One configuration in a JVM of its own: starts it, warms up, measures, prints {@link #RESULT}. */
    static final class Child {

        private static volatile boolean measuring;
        private static volatile boolean stop;

        public static void main(String[] args) throws Exception {
            Configuration configuration = Configuration.valueOf(args[0]);
            Workload workload = Workload.valueOf(args[1]);
            long warmUpNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[2]));
            long measuredNanos = TimeUnit.SECONDS.toNanos(Integer.parseInt(args[3]));
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

            doWhatAnApplicationHasDoneBeforeItMountsPprof4j();
            long startWall = System.nanoTime();
            long startCpu = threads.getCurrentThreadCpuTime();
            AutoCloseable running = start(configuration);
            long startedWall = System.nanoTime() - startWall;
            long startedCpu = threads.getCurrentThreadCpuTime() - startCpu;

            long[] operations = new long[THREADS * 16];
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int slot = t * 16;
                Thread worker = new Thread(() -> {
                    while (!stop) {
                        sink = workload == Workload.SERVICE ? serviceRequest(CALL_DEPTH) : allocationRequest(CALL_DEPTH);
                        operations[slot]++;
                    }
                }, "work-" + t);
                workers.add(worker);
                worker.start();
            }
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmUpNanos));

            long opsBefore = sum(operations);
            long cpuBefore = os.getProcessCpuTime();
            long[] jfrBefore = jfrThreadsCpu(threads);
            long allocatedBefore = allocated(threads, workers);
            long workersBefore = workersCpu(threads, workers);
            long wallBefore = System.nanoTime();
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measuredNanos));
            long wall = System.nanoTime() - wallBefore;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            long ops = sum(operations) - opsBefore;
            long[] jfr = jfrThreadsCpu(threads);
            long allocated = allocated(threads, workers) - allocatedBefore;
            long workersCpu = workersCpu(threads, workers) - workersBefore;
            stop = true;
            for (Thread worker : workers) {
                worker.join();
            }
            if (running != null) {
                running.close();
            }
            System.out.println(RESULT + ops + " " + cpu + " " + wall + " " + (jfr[0] - jfrBefore[0]) + " "
                    + (jfr[1] - jfrBefore[1]) + " " + allocated + " " + startedWall + " " + startedCpu + " " + workersCpu);
        }

        /**
         * Logs, runs lambdas and streams, formats a time and starts an executor: the JDK's machinery that any
         * application has set up long before it mounts pprof4j, and whose first use a bare JVM would otherwise
         * charge to the start measured here.
         */
        private static void doWhatAnApplicationHasDoneBeforeItMountsPprof4j() throws Exception {
            org.slf4j.LoggerFactory.getLogger(AlwaysOnCost.class).debug("started at {}", java.time.Instant.now());
            sink = List.of(1, 2, 3).stream().map(i -> i + 1).filter(i -> i > 1).map(String::valueOf).toList();
            sink = String.format(Locale.ROOT, "%d %s", 1, java.time.LocalDateTime.now());
            java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(1);
            executor.submit(() -> sink = new java.util.TreeMap<>(Map.of("a", "b"))).get();
            executor.shutdown();
        }

        private static AutoCloseable start(Configuration configuration) {
            PprofOptions.Builder options = PprofOptions.builder();
            switch (configuration) {
                case OFF:
                    return null;
                case JFR_RECORDING:
                case JFR_STREAM:
                    return new RawJfr(configuration == Configuration.JFR_STREAM);
                case PPROF4J:
                    return new PprofHandler();
                case PPROF4J_NO_LIVE_OBJECTS:
                    return new PprofHandler(options.samplersOff(PprofOptions.Sampler.LIVE_OBJECTS).build());
                case PPROF4J_NO_CONTENTION:
                    return new PprofHandler(options.samplersOff(PprofOptions.Sampler.CONTENTION).build());
                case PPROF4J_NO_HEAP:
                    return new PprofHandler(options.samplersOff(PprofOptions.Sampler.HEAP).build());
                case PPROF4J_RATE_1000:
                    return new PprofHandler(options.allocationSamplesPerSecond(1000).build());
                case PPROF4J_DEPTH_16:
                    return new PprofHandler(options.stackDepth(16).build());
                default:
                    throw new IllegalArgumentException(configuration.name());
            }
        }

        private static long sum(long[] operations) {
            long sum = 0;
            for (long count : operations) {
                sum += count;
            }
            return sum;
        }

        private static long allocated(com.sun.management.ThreadMXBean threads, List<Thread> workers) {
            long bytes = 0;
            for (Thread worker : workers) {
                bytes += threads.getThreadAllocatedBytes(worker.getId());
            }
            return bytes;
        }

        private static long workersCpu(com.sun.management.ThreadMXBean threads, List<Thread> workers) {
            long nanos = 0;
            for (Thread worker : workers) {
                nanos += threads.getThreadCpuTime(worker.getId());
            }
            return nanos;
        }

        /** CPU so far of JFR's stream thread, and of JFR's other threads (recorder, periodic tasks). */
        private static long[] jfrThreadsCpu(com.sun.management.ThreadMXBean threads) {
            long[] cpu = new long[2];
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith("JFR")) {
                    int column = info.getThreadName().contains("Stream") ? 0 : 1;
                    cpu[column] += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
                }
            }
            return cpu;
        }
    }

    /**
     * The JFR events and settings a default {@link PprofHandler} enables, without pprof4j: allocation
     * samples, the contention events, thread starts, and the leak profiler's recording.
     */
    static final class RawJfr implements AutoCloseable {

        private final AutoCloseable events;
        private final Recording leakProfiler;

        RawJfr(boolean streamed) {
            if (streamed) {
                RecordingStream stream = new RecordingStream();
                enableAsPprof4jDoes(stream::enable);
                stream.setMaxAge(Duration.ofSeconds(10));
                stream.setMaxSize(16L * 1024 * 1024);
                // Each event is handed over, as to pprof4j, and dropped.
                stream.onEvent(event -> sink = event);
                stream.startAsync();
                events = stream;
            } else {
                Recording recording = new Recording();
                enableAsPprof4jDoes(recording::enable);
                recording.setMaxAge(Duration.ofSeconds(10));
                recording.setMaxSize(16L * 1024 * 1024);
                recording.setToDisk(true);
                recording.start();
                events = recording;
            }
            leakProfiler = new Recording();
            leakProfiler.enable(LiveObjectSampler.EVENT).withStackTrace().with("cutoff", "0 ns");
            leakProfiler.setToDisk(false);
            leakProfiler.start();
        }

        /** What a default handler's samplers enable through {@code enable}, a recording's or a stream's. */
        private static void enableAsPprof4jDoes(Function<String, EventSettings> enable) {
            String threshold = PprofOptions.DEFAULT_CONTENTION_THRESHOLD.toMillis() + " ms";
            enable.apply(AllocationSampler.EVENT).withStackTrace()
                    .with("throttle", PprofOptions.DEFAULT_ALLOCATION_SAMPLES_PER_SECOND + "/s");
            for (String event : List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.JavaMonitorWait",
                    "jdk.ThreadSleep")) {
                enable.apply(event).withStackTrace().with("threshold", threshold);
            }
            enable.apply(ThreadCreationProfile.EVENT).withStackTrace();
        }

        @Override
        public void close() throws Exception {
            events.close();
            leakProfiler.close();
        }
    }

    /** A request-like operation: some parsing, formatting, sorting and hashing, under {@code depth} frames. */
    static long serviceRequest(int depth) {
        if (depth > 0) {
            return serviceRequest(depth - 1) + 1;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < 8; i++) {
            headers.put("x-header-" + i, Integer.toString(random.nextInt()));
        }
        StringBuilder json = new StringBuilder("{");
        headers.forEach((name, value) -> json.append('"').append(name).append("\":\"").append(value).append("\","));
        String body = json.append('}').toString();
        int[] values = new int[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(1000);
        }
        Arrays.sort(values);
        long hash = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < body.length(); i++) {
                hash = hash * 31 + body.charAt(i) + values[i & 63];
            }
        }
        return hash;
    }

    /** An operation that almost only allocates: byte arrays of 32 B to 1 KiB in a map, a list of strings. */
    static Object allocationRequest(int depth) {
        if (depth > 0) {
            return allocationRequest(depth - 1);
        }
        Map<String, Object> attributes = new HashMap<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "header-" + i;
            lines.add(name + ": " + i * 31);
            attributes.put(name, new byte[32 << (i & 5)]);
        }
        attributes.put("joined", String.join("\n", lines));
        return attributes;
    }
}
