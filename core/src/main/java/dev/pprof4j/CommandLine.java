package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cmdline}: the JVM's command line, arguments separated by NUL as Go
 * serves {@code os.Args}, with the values of secret-looking arguments
 * replaced by {@code ******}.
 *
 * <p>A name is secret when it contains {@code password}, {@code passwd},
 * {@code pwd}, {@code pass}, {@code secret}, {@code token}, {@code credential},
 * {@code auth}, {@code apikey}/{@code api-key}/{@code api_key},
 * {@code private-key}, or ends in {@code key}. Redacted are: the value of such
 * a {@code name=value} argument ({@code -Ddb.password=x}); the argument after
 * a {@code --name} option without a value ({@code --password x}); such
 * {@code name=value} pairs inside an argument (a JDBC URL's
 * {@code ?password=x}) and {@code "name": "value"} pairs in inline JSON; and
 * passwords in URLs ({@code jdbc:postgresql://user:pw@host}).
 */
final class CommandLine {

    static final String REDACTED = "******";

    private static final String SECRET = "pass|pwd|secret|token|credential|auth|api[-_.]?key|private[-_.]?key";
    private static final Pattern SECRET_NAME = Pattern.compile(SECRET + "|key$", Pattern.CASE_INSENSITIVE);
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)[^/@\\s]+@");
    /** name=value inside a longer argument, e.g. a URL's query: the name ends at a separator. */
    private static final Pattern INNER_PAIR = Pattern.compile(
            "([?&;,\\s][\\w.\\-]*(?:(?:" + SECRET + ")[\\w.\\-]*|key)=)[^&;,\\s]*", Pattern.CASE_INSENSITIVE);
    private static final Pattern JSON_PAIR = Pattern.compile(
            "(\"[^\"]*(?:(?:" + SECRET + ")[^\"]*|key)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern LONG_OPTION = Pattern.compile("--([A-Za-z0-9_.\\-]+)");

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
            int eq = arg.indexOf('=');
            String out;
            if (valueIsSecret) {
                out = REDACTED;
            } else if (eq > 0 && SECRET_NAME.matcher(arg.substring(0, eq)).find()) {
                out = arg.substring(0, eq + 1) + REDACTED;
            } else {
                out = URL_PASSWORD.matcher(arg).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
                out = INNER_PAIR.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
                out = JSON_PAIR.matcher(out).replaceAll("$1\"" + Matcher.quoteReplacement(REDACTED) + "\"");
            }
            Matcher option = LONG_OPTION.matcher(arg);
            valueIsSecret = !valueIsSecret && option.matches() && SECRET_NAME.matcher(option.group(1)).find();
            redacted.add(out);
        }
        return redacted;
    }
}
