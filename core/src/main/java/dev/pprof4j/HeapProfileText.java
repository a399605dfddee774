package dev.pprof4j;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes {@code heap} and {@code allocs} in Go's {@code debug=1} text form:
 *
 * <pre>
 * heap profile: 1630: 104857600 [131072: 1073741824] @ heapprofile
 * 1600: 102400000 [1600: 102400000] @ 0x1000000018 0x1000000028
 * #	0x1000000017	com.example.Cache.put	com/example/Cache.java:42
 * #	0x1000000027	com.example.Main.main	com/example/Main.java:12
 * </pre>
 *
 * <p>Each record is {@code inuse_objects: inuse_space [alloc_objects:
 * alloc_space]} for one stack, sorted by in-use bytes; the header sums them.
 * Unlike Go, which prints raw sample counts here, the figures are the same
 * estimates the proto carries, and the header says {@code @ heapprofile} so
 * that {@code go tool pprof} reading this text does not scale them again. A
 * trailer of {@code #} lines gives the JVM's memory figures where Go prints
 * {@code runtime.MemStats}.
 */
final class HeapProfileText {

    private HeapProfileText() {
    }

    static void write(StackProfile profile, FrameTable frameTable, PrintWriter out) {
        out.print("heap profile: " + figures(profile.total(HeapData.INUSE_OBJECTS),
                profile.total(HeapData.INUSE_SPACE), profile.total(HeapData.ALLOC_OBJECTS),
                profile.total(HeapData.ALLOC_SPACE)) + " @ heapprofile\n");
        List<StackProfile.Sample> records = new ArrayList<>(profile.samples());
        records.sort(Comparator.comparingLong((StackProfile.Sample s) -> -s.values()[HeapData.INUSE_SPACE])
                .thenComparingLong(s -> -s.values()[HeapData.ALLOC_SPACE]));
        for (StackProfile.Sample record : records) {
            long[] v = record.values();
            LegacyTextFormat.writeRecord(figures(v[HeapData.INUSE_OBJECTS], v[HeapData.INUSE_SPACE],
                    v[HeapData.ALLOC_OBJECTS], v[HeapData.ALLOC_SPACE]), record.stack(),
                    LegacyTextFormat.addresses(record.stack(), frameTable), out);
        }
        JvmMemory.writeTrailer(out);
        out.print("# pprof4j\n");
        for (String comment : profile.comments()) {
            out.print("# " + comment + "\n");
        }
    }

    private static String figures(long inUseObjects, long inUseBytes, long allocObjects, long allocBytes) {
        return inUseObjects + ": " + inUseBytes + " [" + allocObjects + ": " + allocBytes + "]";
    }
}
