package dev.pprof4j;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A JFR event pprof4j writes to itself: once the stream has delivered it,
 * everything recorded before it has been delivered too. JFR delivers in
 * batches, and counting batches is not enough, since the stream may be
 * working through older ones.
 */
@Name(DeliveryMark.NAME)
@Label("pprof4j delivery mark")
@Description("Written by pprof4j to learn when JFR has delivered everything recorded before it")
@StackTrace(false)
// Off unless asked for, as pprof4j's stream does: other recordings need not carry it.
@Enabled(false)
final class DeliveryMark extends Event {

    static final String NAME = "dev.pprof4j.DeliveryMark";

    @Label("Mark")
    long mark;

    DeliveryMark(long mark) {
        this.mark = mark;
    }
}
