package dev.pprof4j.testing;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** A workload whose allocations pprof4j attributes to it alone, so that a test can compare them with its truth. */
public final class AllocatingThread {

    /** Work that returns what it allocated, as its thread's own counter measured it. */
    @FunctionalInterface
    public interface Work {
        long run() throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private AllocatingThread() {
    }

    /** As {@link #onAThreadOfItsOwn(Work, CountDownLatch)}, the thread living on for 5 s: past the next scrape. */
    public static long onAThreadOfItsOwn(Work work) throws InterruptedException {
        return onAThreadOfItsOwn(work, new CountDownLatch(1), 5);
    }

    /**
     * Runs {@code work} on a new thread that lives on until {@code until} opens (at most a minute): a burst is
     * sampled a few times at most, and each sample's weight is shared with the thread's sample before it, so
     * on a thread that also did other work a large part of it could land there. A new thread has no sample
     * before. Returns what {@code work} returned.
     */
    public static long onAThreadOfItsOwn(Work work, CountDownLatch until) throws InterruptedException {
        return onAThreadOfItsOwn(work, until, 60);
    }

    private static long onAThreadOfItsOwn(Work work, CountDownLatch until, long lifeSeconds)
            throws InterruptedException {
        AtomicLong measured = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Thread thread = new Thread(() -> {
            try {
                measured.set(work.run());
                done.countDown();
                until.await(lifeSeconds, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "allocating-workload");
        thread.setDaemon(true);
        thread.start();
        done.await();
        return measured.get();
    }

    /**
     * {@code bytes} in 16 KiB arrays, in 16 slices 30 ms apart: over several of JFR's 200 ms throttle windows,
     * since a burst inside one whose share other threads have spent may go unsampled. Returns what the
     * calling thread allocated, as its own counter measured it.
     */
    public static long allocatePaced(long bytes) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        long slice = bytes / (16 * 1024) / 16;
        for (int s = 0; s < 16; s++) {
            for (long i = 0; i < slice; i++) {
                sink = new byte[16 * 1024];
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(30));
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
