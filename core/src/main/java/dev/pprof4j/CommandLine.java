package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cmdline}: the JVM's command line, arguments separated by NUL as Go
 * serves {@code os.Args}, with the values of secret-looking arguments
 * replaced by {@code ******}.
 *
 * <p>An argument is secret when its name contains {@code password},
 * {@code passwd}, {@code pwd}, {@code secret}, {@code token},
 * {@code credential}, {@code apikey}/{@code api-key}/{@code api_key},
 * {@code private-key}, or ends in {@code key}: in {@code name=value} forms
 * ({@code -Ddb.password=x}, {@code --api.token=x}) the value is replaced, in
 * {@code --password x} the next argument is. Passwords in URLs
 * ({@code jdbc:postgresql://user:pw@host}) are replaced too.
 */
final class CommandLine {

    static final String REDACTED = "******";

    private static final Pattern SECRET_NAME = Pattern.compile(
            "password|passwd|pwd|secret|token|credential|api[-_.]?key|private[-_.]?key|key$");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)[^/@\\s]+@");
    private static final Pattern OPTION_NAME = Pattern.compile("-{1,2}([A-Za-z0-9_.\\-:]+)");

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
        return redact(argv);
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

    static List<String> redact(List<String> argv) {
        List<String> redacted = new ArrayList<>(argv.size());
        boolean valueIsSecret = false;
        for (String arg : argv) {
            String out = URL_PASSWORD.matcher(arg).replaceAll("$1" + REDACTED + "@");
            int eq = arg.indexOf('=');
            if (valueIsSecret && !arg.startsWith("-")) {
                out = REDACTED;
            } else if (eq > 0 && isSecretName(arg.substring(0, eq))) {
                out = arg.substring(0, eq + 1) + REDACTED;
            }
            Matcher option = OPTION_NAME.matcher(arg);
            valueIsSecret = eq < 0 && option.matches() && isSecretName(option.group(1));
            redacted.add(out);
        }
        return redacted;
    }

    private static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
    }
}
