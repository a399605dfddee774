package dev.pprof4j;

import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A thread's allocated-bytes counter, written by pprof4j into its own JFR
 * stream: delivered in order with the allocation samples, it tells which of
 * a thread's bytes came after its last sample, as of a moment all samples
 * before it have been seen ({@link AllocationSampler}).
 */
@Name(AllocationCounter.NAME)
@Label("pprof4j allocation counter")
@Description("A thread's allocated bytes, written by pprof4j to count those after the thread's last allocation sample")
@StackTrace(false)
// Off unless asked for, as pprof4j's stream does: other recordings need not carry it.
@Enabled(false)
final class AllocationCounter extends Event {

    static final String NAME = "dev.pprof4j.AllocationCounter";

    @Label("Thread id")
    long thread;

    @Label("Allocated bytes")
    long allocated;

    AllocationCounter(long thread, long allocated) {
        this.thread = thread;
        this.allocated = allocated;
    }
}
