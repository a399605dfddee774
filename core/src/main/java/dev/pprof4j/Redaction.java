package dev.pprof4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule by which everything pprof4j echoes of the process (its
 * command line, thread names) is stripped of secrets before it is served.
 * A secret's value becomes {@code ******}; its name, and the well-known
 * prefix of a token, stay, so the reader sees what was there.
 *
 * <p>By name: a name is secret when it contains {@code pass} (so
 * {@code password}, {@code passwd}), {@code secret}, {@code token},
 * {@code credential}, {@code auth} ({@code authorization}, {@code oauth}),
 * {@code apikey}/{@code api-key}/{@code api_key},
 * {@code privatekey}/{@code private-key}, {@code jwt} or {@code cookie};
 * when one of its segments (split at punctuation and at camel case) is
 * {@code pw} or {@code pwd} ({@code db.pw}, {@code x_pw}, {@code dbPwd});
 * or when it ends in {@code key} or {@code session}/{@code sessionid}.
 * Redacted are the values of {@code name=value}, {@code name: value} and
 * JSON {@code "name": "value"} pairs with such names, wherever they stand in
 * a text, and of a user name's {@code user:password} ({@code --user=alice:x}).
 *
 * <p>By shape, whatever the name: AWS access key ids ({@code AKIA…},
 * {@code ASIA…}), GitHub tokens ({@code ghp_}, {@code gho_}, {@code ghs_},
 * {@code ghu_}, {@code ghr_}, {@code github_pat_}), GitLab ({@code glpat-}),
 * Slack ({@code xoxb-} and kin), Stripe ({@code sk_live_}, {@code rk_test_}…),
 * Google API keys ({@code AIza…}), JWTs, {@code Bearer} and {@code Basic}
 * credentials, PEM private-key blocks, passwords in URLs
 * ({@code scheme://user:******@host}), in {@code user:pw@host} and in
 * Oracle connect strings ({@code scott/******@host}).
 *
 * <p>On a command line, also the argument after an option named as a
 * secret ({@code --password x}, {@code -storepass x}, and {@code -p x}
 * among the program's arguments, where it means a password; among the JVM's
 * own options {@code -p} is the module path), and the password part of the
 * argument after {@code -u}/{@code --user} ({@code alice:******}).
 *
 * <p>Not redacted, on purpose: a bare {@code a:b} without an {@code @} or a
 * user-name context (it cannot be told from {@code host:port}, Maven
 * coordinates or a clock time), and names that only hold where a secret is
 * kept ({@code keyStore=/etc/ks.p12}, {@code keystore.type=PKCS12}). The
 * rule errs on the side of hiding: {@code -Dftp.passive=true} loses its value.
 */
final class Redaction {

    static final String REDACTED = "******";

    private static final Pattern SECRET_WORD = Pattern.compile(
            "pass|secret|token|credential|auth|api[-_.]?key|private[-_.]?key|jwt|cookie", Pattern.CASE_INSENSITIVE);
    private static final Pattern SECRET_END = Pattern.compile("(?:key|session(?:[-_.]?id)?)$",
            Pattern.CASE_INSENSITIVE);
    /** Segments of a name: runs of letters or digits, and a capital starts a new one. */
    private static final Pattern SEGMENT = Pattern.compile("[A-Z]?[a-z0-9]+|[A-Z0-9]+(?![a-z])");
    private static final Set<String> SECRET_SEGMENTS = Set.of("pw", "pwd");
    private static final Set<String> USER_ENDINGS = Set.of("user", "username", "userinfo", "login");

    private static final Pattern PEM = Pattern.compile(
            "(-----BEGIN [A-Z ]*PRIVATE KEY-----)(?:.*?(-----END [A-Z ]*PRIVATE KEY-----)|.*)", Pattern.DOTALL);
    private static final Pattern JSON_PAIR = Pattern.compile("(\"([^\"]*)\"\\s*:\\s*)\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** name=value where the name starts a text or follows a separator (a URL query, a list, an option). */
    private static final Pattern PAIR = Pattern.compile("(^|[?&;,\\s=\"'{(])([\\w.\\-]+)=([^&;,?\\s\"']*)");
    /** name: value, as in a header; an authentication scheme before the value stays. */
    private static final Pattern COLON_PAIR = Pattern.compile(
            "(^|[\\s,;{(])([\\w.\\-]+)(\\s*:\\s*(?:(?i:bearer|basic|digest|token|negotiate)\\s+)?)([^\\s,;]+)");
    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/:@\\s]*:)[^/@\\s]+@");
    private static final Pattern USER_PASSWORD_AT = Pattern.compile("(^|[\\s=,;])([\\w.\\-]+:)[^\\s:/@*]+@");
    private static final Pattern ORACLE = Pattern.compile("(jdbc:oracle:\\w+:[^/@\\s:]*/)[^@\\s]+@");
    /** A whole argument in sqlplus form: {@code scott/tiger@orcl}. */
    private static final Pattern ORACLE_ARGUMENT = Pattern.compile("([A-Za-z][\\w$#]*/)[^/\\s@]+(@\\S+)");
    private static final List<Pattern> TOKENS = List.of(
            Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b"),
            Pattern.compile("\\b(gh[pousr]_)[A-Za-z0-9]{20,}"),
            Pattern.compile("\\b(github_pat_)[A-Za-z0-9_]{20,}"),
            Pattern.compile("\\b(glpat-)[A-Za-z0-9_\\-]{20,}"),
            Pattern.compile("\\b(xox[abposr]-)[A-Za-z0-9\\-]{10,}"),
            Pattern.compile("\\b((?:sk|rk)_(?:live|test)_)[A-Za-z0-9]{16,}"),
            Pattern.compile("\\b(AIza)[0-9A-Za-z_\\-]{35}"),
            Pattern.compile("\\b(eyJ)[A-Za-z0-9_\\-]+\\.eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*"),
            Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/\\-]+=*"));
    /** Basic's base64: a digit, padding, {@code +} or {@code /}, or a capital inside tells it from a word. */
    private static final Pattern BASIC = Pattern.compile(
            "(?i)\\b(basic\\s+)(?-i)([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])");
    private static final Pattern BASE64_NOT_A_WORD = Pattern.compile(".[^a-z]|[0-9+/=]");

    /** The launcher's options whose value is the next argument. */
    private static final Set<String> LAUNCHER_VALUE_OPTIONS = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads",
            "--add-exports", "--add-opens", "--patch-module", "--enable-native-access", "--source");
    private static final Set<String> LAUNCHER_MAIN_OPTIONS = Set.of("-jar", "-m", "--module");
    private static final Pattern OPTION = Pattern.compile("--?([A-Za-z][\\w.\\-]*)");

    private Redaction() {
    }

    /** Whether a name (of a property, option, variable, JSON key…) says its value is secret. */
    static boolean isSecretName(String name) {
        if (SECRET_WORD.matcher(name).find() || SECRET_END.matcher(name).find()) {
            return true;
        }
        Matcher segments = SEGMENT.matcher(name);
        while (segments.find()) {
            if (SECRET_SEGMENTS.contains(segments.group().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUserName(String name) {
        String letters = name.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        return USER_ENDINGS.stream().anyMatch(letters::endsWith);
    }

    /** A text with every secret in it redacted: a thread name, one argument. */
    static String text(String text) {
        String out = replace(PEM, text, m -> m.group(1) + REDACTED + (m.group(2) == null ? "" : m.group(2)));
        out = replace(JSON_PAIR, out, m -> isSecretName(m.group(2)) && !m.group(3).isEmpty()
                ? m.group(1) + "\"" + REDACTED + "\"" : m.group());
        out = replace(PAIR, out, m -> m.group(1) + m.group(2) + "=" + pairValue(m.group(2), m.group(3)));
        out = replace(COLON_PAIR, out, m -> isSecretName(m.group(2)) && !m.group(4).startsWith(REDACTED)
                ? m.group(1) + m.group(2) + m.group(3) + REDACTED : m.group());
        out = replace(URL_PASSWORD, out, m -> m.group(1) + REDACTED + "@");
        out = replace(USER_PASSWORD_AT, out, m -> m.group(1) + m.group(2) + REDACTED + "@");
        out = replace(ORACLE, out, m -> m.group(1) + REDACTED + "@");
        for (Pattern token : TOKENS) {
            out = replace(token, out, m -> m.group(1) + REDACTED);
        }
        return replace(BASIC, out, m -> BASE64_NOT_A_WORD.matcher(m.group(2)).find()
                ? m.group(1) + REDACTED : m.group());
    }

    private static String pairValue(String name, String value) {
        if (value.isEmpty() || value.startsWith(REDACTED)) {
            return value;
        }
        if (isSecretName(name)) {
            return REDACTED;
        }
        int colon = value.indexOf(':');
        if (colon > 0 && isUserName(name) && !value.contains("://")) {
            return value.substring(0, colon + 1) + REDACTED;
        }
        return value;
    }

    /**
     * A command line, {@code argv[0]} the program, each argument redacted as
     * {@link #text} does and, where the argument before says so, as a whole.
     * When the program is the {@code java} launcher, its own options are told
     * from the program's arguments as the launcher tells them.
     */
    static List<String> arguments(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        boolean programArguments = argv.isEmpty() || !isJavaLauncher(argv.get(0));
        Next next = Next.ANY;
        for (int i = 0; i < argv.size(); i++) {
            String arg = argv.get(i);
            Next current = next;
            next = Next.ANY;
            switch (current) {
                case SECRET:
                    out.add(arg.isEmpty() ? arg : REDACTED);
                    continue;
                case USER:
                    int colon = arg.indexOf(':');
                    out.add(colon > 0 && !arg.contains("://") ? arg.substring(0, colon + 1) + REDACTED : text(arg));
                    continue;
                case MAIN:
                    programArguments = true;
                    out.add(text(arg));
                    continue;
                default:
                    break;
            }
            out.add(i > 0 && programArguments && ORACLE_ARGUMENT.matcher(arg).matches()
                    ? ORACLE_ARGUMENT.matcher(arg).replaceFirst("$1" + Matcher.quoteReplacement(REDACTED) + "$2")
                    : text(arg));
            if (i == 0) {
                continue;
            }
            if (!programArguments) {
                if (LAUNCHER_VALUE_OPTIONS.contains(arg)) {
                    next = Next.LAUNCHER_VALUE;
                } else if (LAUNCHER_MAIN_OPTIONS.contains(arg)) {
                    next = Next.MAIN;
                } else if (!arg.startsWith("-")) {
                    programArguments = true;
                }
                continue;
            }
            Matcher option = OPTION.matcher(arg);
            // -Dname without a value sets a property: the next argument is not its value.
            if (option.matches() && !arg.startsWith("-D")) {
                String name = option.group(1);
                if (name.equals("p") || isSecretName(name)) {
                    next = Next.SECRET;
                } else if (name.equals("u") || isUserName(name)) {
                    next = Next.USER;
                }
            }
        }
        return out;
    }

    private static boolean isJavaLauncher(String program) {
        String file = program.substring(Math.max(program.lastIndexOf('/'), program.lastIndexOf('\\')) + 1);
        return file.equals("java") || file.equals("java.exe") || file.equals("javaw.exe");
    }

    /** What the next argument is, by the one before. */
    private enum Next { ANY, SECRET, USER, MAIN, LAUNCHER_VALUE }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher matcher = pattern.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        boolean found = false;
        while (matcher.find()) {
            found = true;
            matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher)));
        }
        if (!found) {
            return text;
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
