package dev.pprof4j.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** Threads parked in one known method at one known line, until closed. */
public final class ParkedThreads implements AutoCloseable {

    /** The function name pprof shows for {@link #parkHere}. */
    public static final String FUNCTION = ParkedThreads.class.getName() + ".parkHere";
    /** The source path pprof shows for this file. */
    public static final String SOURCE = ParkedThreads.class.getName().replace('.', '/') + ".java";

    private static volatile int parkLine;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch parked;
    private final List<Thread> threads = new ArrayList<>();

    public ParkedThreads(int count) throws InterruptedException {
        parked = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(this::parkHere, "pprof4j-parked-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        parked.await();
        // Counted down just before await: wait until every thread is really parked.
        for (Thread thread : threads) {
            while (thread.getState() != Thread.State.WAITING) {
                Thread.sleep(1);
            }
        }
    }

    /** The line of {@link #parkHere} where the threads wait. */
    public static int line() {
        return parkLine;
    }

    private void parkHere() {
        parkLine = new Throwable().getStackTrace()[0].getLineNumber() + 3;
        parked.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
