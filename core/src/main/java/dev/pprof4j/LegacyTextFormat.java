package dev.pprof4j;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Go's legacy text format, the {@code debug=1} form that {@code go tool pprof}
 * still reads: the records of count profiles ({@code goroutine},
 * {@code threadcreate}, user profiles) and the stack lines the heap and
 * contention texts share with them:
 *
 * <pre>
 * goroutine profile: total 17
 * 5 @ 0x1000000018 0x1000000028
 * #	0x1000000017	com.example.Worker.await	com/example/Worker.java:60
 * #	0x1000000027	java.lang.Thread.run	java/lang/Thread.java:833
 *
 * 1 @ 0x1000000038 0x1000000028
 * # labels: {"http.request.method":"GET", "http.route":"/orders/{id}"}
 * #	0x1000000037	com.example.Orders.get	com/example/Orders.java:41
 * #	0x1000000027	java.lang.Thread.run	java/lang/Thread.java:833
 * </pre>
 *
 * <p>Synthetic frames such as {@code [no Java frames]} have no file and
 * show none. Records are sorted by count, then by their address list, as Go does. The
 * {@code @} list holds the frames' synthetic addresses, leaf first: it is what
 * {@code go tool pprof} reads (and resolves through {@code /symbol}); the
 * {@code #} lines are for people. Every record has at least one address
 * (the client rejects a record without), since no stack is empty.
 */
final class LegacyTextFormat {

    private LegacyTextFormat() {
    }

    static void write(String name, StackProfile profile, FrameTable frameTable, PrintWriter out) {
        out.print(name + " profile: total " + profile.total(0) + "\n");
        List<Record> records = new ArrayList<>();
        for (StackProfile.Sample sample : profile.samples()) {
            records.add(new Record(sample, addresses(sample.stack(), frameTable)));
        }
        records.sort(Comparator.comparingLong((Record r) -> -r.sample.values()[0])
                .thenComparing(Record::key));
        for (Record record : records) {
            writeRecord(Long.toString(record.sample.values()[0]), record.sample.stack(), record.sample.labels(),
                    record.addresses, out);
        }
    }

    /** As Go prints a label set: {@code {"key":"value", …}}, sorted by key, each string quoted as Go's %q. */
    private static String labelSet(Map<String, String> labels) {
        StringBuilder text = new StringBuilder("{");
        new TreeMap<>(labels).forEach((key, value) -> {
            if (text.length() > 1) {
                text.append(", ");
            }
            text.append(quoted(key)).append(':').append(quoted(value));
        });
        return text.append('}').toString();
    }

    private static String quoted(String value) {
        StringBuilder text = new StringBuilder("\"");
        value.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '\r' -> text.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        text.append(String.format("\\x%02x", c));
                    } else {
                        text.appendCodePoint(c);
                    }
                }
            }
        });
        return text.append('"').toString();
    }

    /**
     * One record of any of Go's legacy text profiles: its figures, the
     * {@code @} list, the {@code #} frame lines, and the blank line that ends it.
     */
    static void writeRecord(String figures, List<Frame> stack, long[] addresses, PrintWriter out) {
        writeRecord(figures, stack, Map.of(), addresses, out);
    }

    /** A record with the {@code # labels:} line Go's count profiles give a labelled stack. */
    private static void writeRecord(String figures, List<Frame> stack, Map<String, String> labels, long[] addresses,
            PrintWriter out) {
        out.print(figures + " @" + addressList(addresses) + "\n");
        if (!labels.isEmpty()) {
            out.print("# labels: " + labelSet(labels) + "\n");
        }
        writeFrames(stack, addresses, out);
        out.print("\n");
    }

    /** One address per frame, taken once so that the {@code @} list and the {@code #} lines agree. */
    static long[] addresses(List<Frame> stack, FrameTable frameTable) {
        return stack.stream().mapToLong(frameTable::address).toArray();
    }

    /** The {@code @} list: the addresses, leaf first, each after a space. */
    private static String addressList(long[] addresses) {
        StringBuilder text = new StringBuilder();
        for (long address : addresses) {
            text.append(" 0x").append(Long.toHexString(address));
        }
        return text.toString();
    }

    /** The {@code #} lines: address minus one (what the client looks up), function, file and line. */
    private static void writeFrames(List<Frame> stack, long[] addresses, PrintWriter out) {
        for (int i = 0; i < addresses.length; i++) {
            Frame frame = stack.get(i);
            String file = frame.sourcePath().isEmpty() ? "" : "\t" + frame.sourcePath() + ":" + frame.line();
            out.print("#\t0x" + Long.toHexString(addresses[i] - 1) + "\t" + frame.functionName() + file + "\n");
        }
    }

    private record Record(StackProfile.Sample sample, long[] addresses) {
        /** What Go sorts records of one count by: the address list, then the labels. */
        String key() {
            return LegacyTextFormat.addressList(addresses) + labelSet(sample.labels());
        }
    }
}
