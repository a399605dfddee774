package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** mutex and block against waits the test measures itself, read with the real go tool pprof. */
class ContentionProfileTest {

    private static final String CLASS = ContentionProfileTest.class.getName();
    private static final Object MONITOR = new Object();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final long HOLD_MILLIS = 25;

    private final AtomicLong monitorWait = new AtomicLong();
    private final AtomicLong lockWait = new AtomicLong();

    @Test
    void contendedLocksLeadMutexWithTheirMeasuredDelay() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
            fight(this::enterMonitor);
            fight(this::acquireLock);
            RawProfile mutex = RawProfile.parse(GoPprof.run("-raw", server.origin() + "/debug/pprof/mutex").stdout());
            long monitorDelay = mutex.total(1, CLASS + ".enterMonitor");
            long lockDelay = mutex.total(1, CLASS + ".acquireLock");
            assertThat((double) monitorDelay / monitorWait.get()).as("synchronized: %d ns of %d", monitorDelay,
                    monitorWait.get()).isBetween(0.7, 1.3);
            assertThat((double) lockDelay / lockWait.get()).as("ReentrantLock: %d ns of %d", lockDelay,
                    lockWait.get()).isBetween(0.7, 1.3);
            assertThat(monitorDelay + lockDelay).isGreaterThanOrEqualTo((long) (0.9 * mutex.total(1)));

            GoPprof.Run top = GoPprof.run("-top", server.origin() + "/debug/pprof/mutex");
            assertThat(top.stdout()).contains("Type: delay");
        }
    }

    @Test
    void aParkedThreadLeadsBlock() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
            Thread waiter = new Thread(ContentionProfileTest::waitForWork, "waiter");
            waiter.start();
            // Polled in waits shorter than the threshold, so that this thread's own wait is not recorded.
            while (waiter.isAlive()) {
                Thread.sleep(2);
            }
            // As a reader does: the JDK's own frames (Unsafe.park, LockSupport) hidden, so the waiting code leads.
            GoPprof.Run top = GoPprof.run("-top", "-hide=^(java|jdk)\\.", server.origin() + "/debug/pprof/block");
            assertThat(top.exitCode()).as(top.stderr()).isZero();
            assertThat(top.firstTopRow()).as(top.stdout()).endsWith(" " + CLASS + ".waitForWork");
            RawProfile block = RawProfile.parse(GoPprof.run("-raw", server.origin() + "/debug/pprof/block").stdout());
            long waited = block.total(1, CLASS + ".waitForWork");
            assertThat(waited).isBetween(TimeUnit.MILLISECONDS.toNanos(1400), TimeUnit.MILLISECONDS.toNanos(2600));
        }
    }

    /** Four threads take turns at one lock, eight times each. */
    private static void fight(Runnable takeTheLock) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            threads.add(new Thread(() -> {
                for (int j = 0; j < 8; j++) {
                    takeTheLock.run();
                }
            }, "fighter-" + i));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
    }

    private void enterMonitor() {
        long start = System.nanoTime();
        synchronized (MONITOR) {
            monitorWait.addAndGet(System.nanoTime() - start);
            pause();
        }
    }

    private void acquireLock() {
        long start = System.nanoTime();
        LOCK.lock();
        try {
            lockWait.addAndGet(System.nanoTime() - start);
            pause();
        } finally {
            LOCK.unlock();
        }
    }

    /** Holds the lock by spinning, not sleeping, so that only the waiting shows as contention. */
    private static void pause() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MILLIS);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** Parks five times for 400 ms: 2 s in all. */
    private static void waitForWork() {
        for (int i = 0; i < 5; i++) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(400));
        }
    }
}
