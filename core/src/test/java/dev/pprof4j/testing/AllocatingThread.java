package dev.pprof4j.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** A workload whose allocations pprof4j attributes to it alone, so that a test can compare them with its truth. */
public final class AllocatingThread {

    /** Work that returns what it allocated, as its thread's own counter measured it. */
    @FunctionalInterface
    public interface Work {
        long run() throws Exception;
    }

    private AllocatingThread() {
    }

    /**
     * Runs {@code work} on a new thread that lives on for a few seconds, past the next scrape: a burst is
     * sampled a few times at most, and each sample's weight is shared with the thread's sample before it, so
     * on a thread that also did other work a large part of it could land there. A new thread has no sample
     * before, and while it lives its exact counter divides its bytes. Returns what {@code work} returned.
     */
    public static long onAThreadOfItsOwn(Work work) throws InterruptedException {
        AtomicLong measured = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                measured.set(work.run());
                done.countDown();
                Thread.sleep(5_000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "allocating-workload");
        thread.setDaemon(true);
        thread.start();
        done.await();
        return measured.get();
    }
}
