package dev.pprof4j;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
                .thenComparing(Record::addressList));
        for (Record record : records) {
            writeRecord(Long.toString(record.sample.values()[0]), record.sample.stack(), record.addresses, out);
        }
    }

    /**
     * One record of any of Go's legacy text profiles: its figures, the
     * {@code @} list, the {@code #} frame lines, and the blank line that ends it.
     */
    static void writeRecord(String figures, List<Frame> stack, long[] addresses, PrintWriter out) {
        out.print(figures + " @" + addressList(addresses) + "\n");
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
        String addressList() {
            return LegacyTextFormat.addressList(addresses);
        }
    }
}
