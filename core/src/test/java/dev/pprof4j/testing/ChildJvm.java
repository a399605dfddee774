package dev.pprof4j.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, started with JVM options the test's JVM
 * cannot have (such as {@code -XX:-FlightRecorder}). Its main class prints
 * {@code listening on <origin>} once it serves; the child ends when closed.
 * What it writes is kept, for tests that read its log. {@link #run} runs a
 * child that reports and exits instead.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String READY = "listening on ";

    private final Process process;
    private final String origin;
    private final List<String> output;
    private final Thread drain;

    private ChildJvm(Process process, String origin, List<String> output, Thread drain) {
        this.process = process;
        this.origin = origin;
        this.output = output;
        this.drain = drain;
    }

    /** Starts {@code main} on this JVM's class path with {@code jvmOptions}, and waits until it serves. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main) throws IOException {
        return start(jvmOptions, main, List.of(), Map.of());
    }

    /** The same, with program arguments and variables added to this JVM's environment. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main, List<String> arguments,
            Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command(jvmOptions, main, arguments)).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> output = new CopyOnWriteArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            output.add(line);
            if (line.startsWith(READY)) {
                // Keep draining, so that the child never blocks on a full pipe.
                Thread drain = new Thread(() -> out.lines().forEach(output::add), "child-jvm-output");
                drain.setDaemon(true);
                drain.start();
                return new ChildJvm(process, line.substring(READY.length()), output, drain);
            }
        }
        process.destroy();
        throw new IOException("the child JVM ended without serving:\n" + String.join("\n", output));
    }

    /**
     * Runs {@code main} on this JVM's class path with {@code jvmOptions} to its end, for a child that
     * reports and exits rather than serves.
     *
     * @return every line it wrote
     * @throws IOException if it ended with another status than 0
     */
    public static List<String> run(List<String> jvmOptions, Class<?> main) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(jvmOptions, main, List.of())).redirectErrorStream(true).start();
        List<String> output;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            output = out.lines().toList();
        }
        int status = process.waitFor();
        if (status != 0) {
            throw new IOException("the child JVM ended with status " + status + ":\n" + String.join("\n", output));
        }
        return output;
    }

    private static List<String> command(List<String> jvmOptions, Class<?> main, List<String> arguments) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(arguments);
        return command;
    }

    /** Prints the line {@link #start} waits for; for the child's main class. */
    public static void ready(String origin) {
        System.out.println(READY + origin);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String origin() {
        return origin;
    }

    /** Stops the child and returns every line it wrote. */
    public List<String> stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        drain.join(10_000);
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
