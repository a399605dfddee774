package dev.pprof4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an answer to a client must not reveal of the server: Java class names
 * of exceptions, stack frames, file-system paths. For error bodies: a
 * profile's frames are its content.
 */
public final class InternalDetail {

    private static final List<Pattern> SHAPES = List.of(
            // A qualified name in the JDK's or a container's packages: java.io.IOException, jdk.jfr.…
            Pattern.compile("\\b(java|javax|jakarta|jdk|sun|com\\.sun|org\\.eclipse|org\\.apache|dev\\.pprof4j)\\.[a-z]"),
            Pattern.compile("\\b[A-Z][A-Za-z0-9]*(Exception|Error)\\b"),
            // A stack frame, as Throwable.printStackTrace writes it.
            Pattern.compile("\\bat [\\w$.]+\\([\\w$]*\\.java:\\d+\\)|\\.java:\\d+\\)"),
            // An absolute path of a Unix file system, or a Windows drive.
            Pattern.compile("(^|[\\s\"'=:(,])/(tmp|var|usr|home|opt|etc|proc|root|srv|work|private|Users)/"),
            Pattern.compile("\\b[A-Za-z]:\\\\"));

    private InternalDetail() {
    }

    /** The fragments of {@code body} that reveal the server's internals; empty if none. */
    public static List<String> in(String body) {
        List<String> found = new ArrayList<>();
        for (Pattern shape : SHAPES) {
            Matcher matcher = shape.matcher(body);
            if (matcher.find()) {
                found.add(excerpt(body, matcher.start(), matcher.end()));
            }
        }
        for (String property : List.of("java.home", "user.dir", "user.home", "java.io.tmpdir")) {
            String path = System.getProperty(property);
            int at = path == null || path.length() < 4 ? -1 : body.indexOf(path);
            if (at >= 0) {
                found.add(excerpt(body, at, at + path.length()));
            }
        }
        return found;
    }

    private static String excerpt(String body, int start, int end) {
        return body.substring(Math.max(0, start - 20), Math.min(body.length(), end + 20)).replace('\n', ' ');
    }
}
