package dev.pprof4j;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's virtual threads, read from its own thread dump: on JDK 21 and
 * later, {@code HotSpotDiagnosticMXBean.dumpThreads(file, JSON)} writes every
 * thread, virtual ones included, which no other in-process interface lists
 * ({@code ThreadMXBean} sees platform threads only). The dump goes to a file
 * in a directory of the JVM's user only, named {@code pprof4j-threads-<pid>-…},
 * is read as it is parsed, one thread at a time, and is deleted at once;
 * those of a JVM that is no longer running are deleted by the next dump.
 *
 * <p>JDK 21 writes each thread's id, name and stack; later JDKs add whether
 * it is virtual, its state and, when mounted, its carrier. Where the dump
 * does not say, a thread is virtual when its stack starts in
 * {@code java.lang.VirtualThread.run}.
 */
final class VirtualThreadDump {

    /** One virtual thread: {@code state} is null and {@code carrier} -1 where the JDK does not say. */
    record VirtualThread(long id, String name, String state, long carrier, List<StackTraceElement> stack) {
    }

    private static final String PREFIX = "pprof4j-threads-";
    private static final Pattern OWNER = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static final String ROOT_FRAME = "java.lang.VirtualThread.run";
    private static final Dumper DUMPER = dumper();
    private static final Object DUMPS = new Object();
    private static final Logger log = LoggerFactory.getLogger(VirtualThreadDump.class);
    private static boolean warned;

    private VirtualThreadDump() {
    }

    /** The JDK's JSON dump, reached reflectively: the build targets 17. */
    private record Dumper(PlatformManagedObject bean, Method dumpThreads, Object json) {
    }

    /** Whether this JDK dumps virtual threads (21 and later). */
    static boolean available() {
        return DUMPER != null;
    }

    /**
     * Hands every virtual thread of the JVM to {@code each}, in the dump's order; nothing where the JDK has
     * no such dump. One dump at a time: each takes memory and disk in proportion to the threads. Where the
     * dump cannot be written or read (no writable temporary directory), says so in the log once and hands
     * over what it has read: a profile of the platform threads is still worth serving.
     */
    static void forEach(Consumer<VirtualThread> each) {
        if (DUMPER == null) {
            return;
        }
        synchronized (DUMPS) {
            deleteDumpsOfEndedProcesses();
            Path directory = null;
            Path file = null;
            try {
                directory = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-").toAbsolutePath();
                file = directory.resolve("threads.json");
                DUMPER.dumpThreads().invoke(DUMPER.bean(), file.toString(), DUMPER.json());
                // Thousands of threads share a few frames: each is parsed once.
                Map<String, StackTraceElement> frames = new HashMap<>();
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    new Json(in, thread -> {
                        VirtualThread virtual = virtualThread(thread, frames);
                        if (virtual != null) {
                            each.accept(virtual);
                        }
                    }).value(null);
                }
            } catch (IOException | ReflectiveOperationException | RuntimeException e) {
                if (!warned) {
                    warned = true;
                    log.warn("pprof4j cannot read the JVM's thread dump, so goroutine leaves virtual threads out: {}",
                            e.toString());
                }
            } finally {
                TempFiles.deleteQuietly(file);
                TempFiles.deleteQuietly(directory);
            }
        }
    }

    private static VirtualThread virtualThread(Map<String, Object> thread, Map<String, StackTraceElement> frames) {
        List<StackTraceElement> stack = new ArrayList<>();
        if (thread.get("stack") instanceof List<?> texts) {
            for (Object text : texts) {
                stack.add(frames.computeIfAbsent(String.valueOf(text), VirtualThreadDump::frame));
            }
        }
        Object virtual = thread.get("virtual");
        boolean isVirtual = virtual != null ? Boolean.TRUE.equals(virtual)
                : !stack.isEmpty() && ROOT_FRAME.equals(stack.get(stack.size() - 1).getClassName() + "."
                        + stack.get(stack.size() - 1).getMethodName());
        if (!isVirtual) {
            return null;
        }
        return new VirtualThread(number(thread.get("tid")), String.valueOf(thread.getOrDefault("name", "")),
                thread.get("state") instanceof String state ? state : null, number(thread.get("carrier")), stack);
    }

    /**
     * A frame as {@code StackTraceElement.toString()} writes it: {@code [loader/][module[@version]/]class.method(
     * file:line)}, where a hidden class's name holds a {@code /0x…} of its own.
     */
    private static StackTraceElement frame(String text) {
        int open = text.indexOf('(');
        String head = open < 0 ? text : text.substring(0, open);
        String where = open < 0 || !text.endsWith(")") ? "" : text.substring(open + 1, text.length() - 1);
        int dot = head.lastIndexOf('.');
        String className = dot < 0 ? "" : head.substring(0, dot);
        for (int slash = className.indexOf('/'); slash >= 0 && !className.startsWith("0x", slash + 1);
                slash = className.indexOf('/')) {
            className = className.substring(slash + 1);
        }
        if ("Native Method".equals(where)) {
            return new StackTraceElement(className, head.substring(dot + 1), null, -2);
        }
        int colon = where.lastIndexOf(':');
        String file = colon < 0 ? where : where.substring(0, colon);
        int line = -1;
        if (colon >= 0) {
            try {
                line = Integer.parseInt(where.substring(colon + 1));
            } catch (NumberFormatException e) {
                file = where;
            }
        }
        return new StackTraceElement(className, head.substring(dot + 1),
                file.isEmpty() || "Unknown Source".equals(file) ? null : file, line);
    }

    private static long number(Object value) {
        try {
            return value == null ? -1 : Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Dumper dumper() {
        try {
            Class<?> type = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> format = Class.forName("com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
            Method dumpThreads = type.getMethod("dumpThreads", String.class, format);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object json = Enum.valueOf((Class) format, "JSON");
            @SuppressWarnings("unchecked")
            PlatformManagedObject bean = ManagementFactory.getPlatformMXBean(
                    (Class<? extends PlatformManagedObject>) type);
            return new Dumper(bean, dumpThreads, json);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** What a JVM stopped during a dump left behind. */
    private static void deleteDumpsOfEndedProcesses() {
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(temp, PREFIX + "*")) {
            for (Path directory : directories) {
                Matcher owner = OWNER.matcher(directory.getFileName().toString());
                // Not through a link another user may have put there.
                if (owner.matches() && Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)
                        && TempFiles.ownerEnded(owner.group(1))) {
                    TempFiles.deleteQuietly(directory.resolve("threads.json"));
                    TempFiles.deleteQuietly(directory);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not ours to fail a profile over: the directory may be unreadable.
        }
    }

    /**
     * Just enough JSON for the dump: objects, arrays, strings, numbers, true, false, null. Each element of
     * a {@code "threads"} array is handed to the consumer and dropped, so that a dump of a hundred thousand
     * threads is never held whole.
     */
    private static final class Json {
        private final Reader in;
        private final Consumer<Map<String, Object>> threads;
        private final char[] buffer = new char[1 << 16];
        private int position;
        private int limit;
        private int next;

        Json(Reader in, Consumer<Map<String, Object>> threads) throws IOException {
            this.in = in;
            this.threads = threads;
            advance();
        }

        Object value(String key) throws IOException {
            skipSpace();
            switch (next) {
                case '{':
                    return object();
                case '[':
                    return array("threads".equals(key));
                case '"':
                    return string();
                default:
                    return literal();
            }
        }

        private Map<String, Object> object() throws IOException {
            Map<String, Object> object = new LinkedHashMap<>();
            advance();
            skipSpace();
            if (next == '}') {
                advance();
                return object;
            }
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                object.put(key, value(key));
                skipSpace();
                if (next == ',') {
                    advance();
                } else {
                    expect('}');
                    return object;
                }
            }
        }

        @SuppressWarnings("unchecked")
        private List<Object> array(boolean ofThreads) throws IOException {
            List<Object> array = new ArrayList<>();
            advance();
            skipSpace();
            if (next == ']') {
                advance();
                return array;
            }
            while (true) {
                Object element = value(null);
                if (ofThreads && element instanceof Map<?, ?> thread) {
                    threads.accept((Map<String, Object>) thread);
                } else {
                    array.add(element);
                }
                skipSpace();
                if (next == ',') {
                    advance();
                } else {
                    expect(']');
                    return array;
                }
            }
        }

        private String string() throws IOException {
            expect('"');
            StringBuilder text = new StringBuilder();
            while (next != '"') {
                if (next < 0) {
                    throw new IOException("the thread dump ends inside a string");
                }
                if (next == '\\') {
                    advance();
                    switch (next) {
                        case 'b' -> text.append('\b');
                        case 'f' -> text.append('\f');
                        case 'n' -> text.append('\n');
                        case 'r' -> text.append('\r');
                        case 't' -> text.append('\t');
                        case 'u' -> {
                            char[] hex = new char[4];
                            for (int i = 0; i < 4; i++) {
                                advance();
                                hex[i] = (char) next;
                            }
                            try {
                                text.append((char) Integer.parseInt(new String(hex), 16));
                            } catch (NumberFormatException e) {
                                throw new IOException("the thread dump is not JSON: a bad \\u escape");
                            }
                        }
                        default -> text.append((char) next);
                    }
                } else {
                    text.append((char) next);
                }
                advance();
            }
            advance();
            return text.toString();
        }

        private Object literal() throws IOException {
            StringBuilder text = new StringBuilder();
            while (next >= 0 && ",}] \t\r\n".indexOf(next) < 0) {
                text.append((char) next);
                advance();
            }
            return switch (text.toString()) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                case "" -> throw new IOException("the thread dump is not JSON");
                default -> text.toString();
            };
        }

        private void skipSpace() throws IOException {
            while (next == ' ' || next == '\n' || next == '\r' || next == '\t') {
                advance();
            }
        }

        private void expect(char c) throws IOException {
            if (next != c) {
                throw new IOException("the thread dump is not JSON: expected '" + c + "'");
            }
            advance();
        }

        private void advance() throws IOException {
            if (position == limit) {
                limit = Math.max(0, in.read(buffer));
                position = 0;
                if (limit == 0) {
                    next = -1;
                    return;
                }
            }
            next = buffer[position++];
        }
    }
}
