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
 * Runs Debian's headless Chromium on a page: its DOM once the page's scripts
 * have run, or a screenshot. Where Chromium is not installed the calling test
 * is skipped, except under {@code CI=true}, where that is a failure.
 */
public final class Chromium {

    /** Virtual time the page may use; network waits do not count against it. */
    private static final int BUDGET_MILLIS = 60_000;

    private Chromium() {
    }

    /** The page's DOM, serialized, after its scripts ran and its requests were answered. */
    public static String dom(String url) throws IOException, InterruptedException {
        return run(url, "--dump-dom");
    }

    /** A PNG of the page, {@code width} by {@code height}, written to {@code file}. */
    public static void screenshot(String url, Path file, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        run(url, "--screenshot=" + file.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars");
    }

    private static String run(String url, String... what) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("pprof4j-chromium");
        List<String> command = new ArrayList<>(List.of(find(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + home.resolve("profile"),
                "--virtual-time-budget=" + BUDGET_MILLIS));
        command.addAll(List.of(what));
        command.add(url);
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        Process process = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("chromium did not finish within 3 minutes on " + url);
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            fail("chromium exited with " + process.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return dom;
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                File chromium = new File(dir, name);
                if (chromium.canExecute()) {
                    return chromium.getPath();
                }
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("chromium is not installed: the viewer's tests need a real browser in CI (Debian package chromium)");
        }
        Assumptions.abort("chromium is not installed; skipping the viewer's browser tests");
        return null;
    }
}
