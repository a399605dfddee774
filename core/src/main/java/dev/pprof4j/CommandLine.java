package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code cmdline}: the JVM's command line, arguments separated by NUL as Go
 * serves {@code os.Args}, with secrets replaced by {@code ******} as
 * {@link Redaction#arguments} finds them.
 */
final class CommandLine {

    private CommandLine() {
    }

    /** The current JVM's arguments, redacted, as {@code /proc/self/cmdline} lists them where it can. */
    static List<String> current() {
        List<String> argv = new ArrayList<>();
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String[]> arguments = info.arguments();
        if (info.command().isPresent() && arguments.isPresent()) {
            argv.add(info.command().get());
            argv.addAll(List.of(arguments.get()));
        } else {
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            String command = System.getProperty("sun.java.command", "");
            if (!command.isEmpty()) {
                argv.addAll(List.of(command.split(" ")));
            }
        }
        return Redaction.arguments(argv);
    }

    /** The program's name for pprof's {@code File:} line: the main jar or class, else {@code java}. */
    static String programName() {
        String command = System.getProperty("sun.java.command", "").trim();
        if (command.isEmpty()) {
            return "java";
        }
        String first = command.split(" ")[0];
        return first.endsWith(".jar") ? Path.of(first).getFileName().toString() : first;
    }
}
