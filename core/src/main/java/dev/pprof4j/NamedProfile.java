package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * A profile served under its name at {@code /debug/pprof/<name>}: the
 * counterpart of Go's {@code pprof.Profile}.
 */
interface NamedProfile {

    /** The name in the URL and on the index, e.g. {@code goroutine}. */
    String name();

    /** One line for the index page. */
    String description();

    /** The figure on the index page: threads, records, entries. */
    long count();

    /** Whether {@code ?seconds=N} returns the difference of two snapshots. */
    boolean supportsDelta();

    StackProfile snapshot() throws IOException, InterruptedException;

    /** Go's {@code heap?gc=1}: this profile with each snapshot taken after a full collection; others are themselves. */
    default NamedProfile afterFullCollection() throws InterruptedException {
        return this;
    }

    /** The {@code debug=N} text (N ≥ 1); by default Go's counted-stacks form. */
    default void writeText(int debug, FrameTable frameTable, PrintWriter out)
            throws IOException, InterruptedException {
        LegacyTextFormat.write(name(), snapshot(), frameTable, out);
    }
}
