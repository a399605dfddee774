package dev.pprof4j.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, started with JVM options the test's JVM
 * cannot have (such as {@code -XX:-FlightRecorder}). Its main class prints
 * {@code listening on <origin>} once it serves; the child ends when closed.
 */
public final class ChildJvm implements AutoCloseable {

    private static final String READY = "listening on ";

    private final Process process;
    private final String origin;

    private ChildJvm(Process process, String origin) {
        this.process = process;
        this.origin = origin;
    }

    /** Starts {@code main} on this JVM's class path with {@code jvmOptions}, and waits until it serves. */
    public static ChildJvm start(List<String> jvmOptions, Class<?> main) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(READY)) {
                // Keep draining, so that the child never blocks on a full pipe.
                Thread drain = new Thread(() -> out.lines().forEach(ignored -> { }), "child-jvm-output");
                drain.setDaemon(true);
                drain.start();
                return new ChildJvm(process, line.substring(READY.length()));
            }
            seen.append(line).append('\n');
        }
        process.destroy();
        throw new IOException("the child JVM ended without serving:\n" + seen);
    }

    /** Prints the line {@link #start} waits for; for the child's main class. */
    public static void ready(String origin) {
        System.out.println(READY + origin);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String origin() {
        return origin;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
