package dev.pprof4j.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real {@code go tool pprof}, the reference client. Where Go is not
 * installed the calling test is skipped, except under {@code CI=true}, where
 * that is a failure: interop is never silently untested in CI.
 */
public final class GoPprof {

    private GoPprof() {
    }

    /** What one run printed. */
    public record Run(int exitCode, String stdout, String stderr) {
        /** stderr without the two lines every successful fetch prints. */
        public List<String> unexpectedStderr() {
            return stderr.lines()
                    .filter(line -> !line.isBlank())
                    .filter(line -> !line.startsWith("Fetching profile over HTTP from "))
                    .filter(line -> !line.startsWith("Saved profile in "))
                    .filter(line -> !line.startsWith("Please wait... ("))
                    .toList();
        }

        /** The first row of {@code -top}'s table, trimmed: the node that leads. */
        public String firstTopRow() {
            List<String> lines = stdout.lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).trim().startsWith("flat ")) {
                    return lines.get(i + 1).trim();
                }
            }
            throw new AssertionError("no -top table in: " + stdout);
        }
    }

    public static Run run(String... args) throws IOException, InterruptedException {
        String go = findGo();
        Path home = Files.createTempDirectory("pprof4j-go");
        List<String> command = new ArrayList<>(List.of(go, "tool", "pprof"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PPROF_TMPDIR", home.resolve("pprof").toString());
        builder.environment().put("GOCACHE", home.resolve("cache").toString());
        builder.environment().remove("GOFLAGS");
        Path stdout = home.resolve("stdout");
        Path stderr = home.resolve("stderr");
        Process process = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("go tool pprof " + String.join(" ", args) + " did not finish within 3 minutes");
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    /** A file in a fresh temporary directory, for saved profiles. */
    public static Path save(byte[] body, String name) throws IOException {
        Path file = Files.createTempDirectory("pprof4j-profile").resolve(name);
        Files.write(file, body);
        return file;
    }

    private static String findGo() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File go = new File(dir, "go");
            if (go.canExecute()) {
                return go.getPath();
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("go is not installed: the interop tests need the real go tool pprof in CI"
                    + " (Debian package golang-go)");
        }
        Assumptions.abort("go is not installed; skipping interop with go tool pprof");
        return null;
    }
}
