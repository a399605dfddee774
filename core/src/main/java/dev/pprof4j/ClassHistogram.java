package dev.pprof4j;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Live instances and bytes per class, exactly, right after a full
 * collection: the JVM's own {@code GC.class_histogram}, asked in-process
 * through the {@code DiagnosticCommand} MBean (what {@code jcmd} calls). The
 * command runs the full collection itself, also where
 * {@code -XX:+DisableExplicitGC} makes {@code System.gc()} do nothing.
 */
final class ClassHistogram {

    /** {@code   1:   12345   1234567  [B (java.base@17.0.15)}: rank, instances, bytes, class name. */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";
    /** Dead space a collector left in place, which the histogram lists as objects. */
    private static final Pattern FILLER = Pattern.compile("^\\[*L?jdk\\.internal\\.vm\\.Filler");

    /** The instances and bytes of one class. */
    record Entry(String className, long instances, long bytes) {
    }

    private final List<Entry> entries;
    private final Map<String, Entry> byClass;
    private final long totalBytes;

    private ClassHistogram(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        Map<String, Entry> byClass = new HashMap<>();
        long total = 0;
        for (Entry entry : entries) {
            byClass.put(entry.className(), entry);
            total += entry.bytes();
        }
        this.byClass = byClass;
        this.totalBytes = total;
    }

    /**
     * Collects the whole heap, then counts what lived.
     *
     * @return the histogram, or null where this JVM has no such command (not HotSpot)
     */
    static ClassHistogram afterFullCollection() {
        Object text;
        try {
            text = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(DIAGNOSTIC_COMMAND),
                    "gcClassHistogram", new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            return null;
        }
        return text instanceof String ? parse((String) text) : null;
    }

    /**
     * The command's text; classes of one name in several class loaders are one entry, and the filler
     * objects of dead space are left out.
     */
    static ClassHistogram parse(String text) {
        Map<String, long[]> merged = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher row = ROW.matcher(line);
            if (row.find() && !FILLER.matcher(row.group(3)).find()) {
                long[] figures = merged.get(row.group(3));
                if (figures == null) {
                    figures = new long[2];
                    merged.put(row.group(3), figures);
                    order.add(row.group(3));
                }
                figures[0] += Long.parseLong(row.group(1));
                figures[1] += Long.parseLong(row.group(2));
            }
        }
        List<Entry> entries = new ArrayList<>(order.size());
        for (String className : order) {
            long[] figures = merged.get(className);
            entries.add(new Entry(className, figures[0], figures[1]));
        }
        entries.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return new ClassHistogram(entries);
    }

    /** Every class with live instances, the most bytes first. */
    List<Entry> entries() {
        return entries;
    }

    /** The entry of a class named as {@link Class#getName()} names it, or null if none lives. */
    Entry get(String className) {
        return byClass.get(className);
    }

    /** Live bytes of the whole heap. */
    long totalBytes() {
        return totalBytes;
    }
}
