package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.ChildJvm;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code goroutineleak}: two threads deadlocked on two monitors, in a JVM of
 * their own since a monitor deadlock can never be undone, show up with both
 * stacks in every form, read by the real client; threads that merely wait
 * for a long time do not.
 */
class DeadlockProfileTest {

    private static final String FIRST = Deadlocked.class.getName() + ".takeFirstThenSecond";
    private static final String SECOND = Deadlocked.class.getName() + ".takeSecondThenFirst";

    @Test
    void twoThreadsDeadlockedOnTwoMonitorsShowUpWithBothStacks() throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), Deadlocked.class)) {
            String mount = child.origin() + "/debug/pprof";
            GoPprof.Run raw = GoPprof.run("-raw", mount + "/goroutineleak");
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(raw.unexpectedStderr()).isEmpty();
            RawProfile profile = RawProfile.parse(raw.stdout());
            assertThat(profile.sampleTypes()).containsExactly("goroutineleak/count");
            assertThat(profile.total(0)).isEqualTo(2);
            assertThat(profile.total(0, FIRST)).isEqualTo(1);
            assertThat(profile.total(0, SECOND)).isEqualTo(1);

            String text = HttpTestClient.get(mount + "/goroutineleak?debug=1").text();
            assertThat(text).startsWith("goroutineleak profile: total 2\n").contains("\t" + FIRST + "\t")
                    .contains("\t" + SECOND + "\t").doesNotContain("waitsLong");

            String dump = HttpTestClient.get(mount + "/goroutineleak?debug=2").text();
            assertThat(dump.split("\n\n")).hasSize(2);
            assertThat(dump).containsPattern("(?m)^\"deadlocked-first\" #\\d+ prio=5 \\[BLOCKED\\]:$")
                    .containsPattern("(?m)^\"deadlocked-second\" #\\d+ prio=5 \\[BLOCKED\\]:$")
                    .containsPattern("- waiting to lock <0x[0-9a-f]+> \\(a java.lang.Object\\) owned by"
                            + " \"deadlocked-second\" #\\d+")
                    .containsPattern("- waiting to lock <0x[0-9a-f]+> \\(a java.lang.Object\\) owned by"
                            + " \"deadlocked-first\" #\\d+");

            String index = HttpTestClient.get(mount + "/").text();
            assertThat(index).contains("<tr><td>2</td><td><a href='goroutineleak?debug=1'>goroutineleak</a></td></tr>");
        }
    }

    @Test
    void aJvmWithoutDeadlocksHasNone() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            String text = HttpTestClient.get(server.origin() + "/debug/pprof/goroutineleak?debug=1").text();
            assertThat(text).isEqualTo("goroutineleak profile: total 0\n");
        }
    }

    /** Two threads, each holding one monitor and waiting for the other's; a third waits long, and is no leak. */
    public static final class Deadlocked {
        private static final Object FIRST_LOCK = new Object();
        private static final Object SECOND_LOCK = new Object();
        private static final CountDownLatch BOTH_HOLD = new CountDownLatch(2);

        public static void main(String[] args) throws Exception {
            Thread first = new Thread(Deadlocked::takeFirstThenSecond, "deadlocked-first");
            Thread second = new Thread(Deadlocked::takeSecondThenFirst, "deadlocked-second");
            first.start();
            second.start();
            Thread waiting = new Thread(Deadlocked::waitsLong, "waits-long");
            waiting.setDaemon(true);
            waiting.start();
            while (first.getState() != Thread.State.BLOCKED || second.getState() != Thread.State.BLOCKED) {
                Thread.sleep(1);
            }
            JdkHttpServer server = new JdkHttpServer(new PprofHandler());
            ChildJvm.ready(server.origin());
            Thread.sleep(Long.MAX_VALUE);
        }

        private static void takeFirstThenSecond() {
            synchronized (FIRST_LOCK) {
                holdUntilBothHold();
                synchronized (SECOND_LOCK) {
                    BOTH_HOLD.countDown();
                }
            }
        }

        private static void takeSecondThenFirst() {
            synchronized (SECOND_LOCK) {
                holdUntilBothHold();
                synchronized (FIRST_LOCK) {
                    BOTH_HOLD.countDown();
                }
            }
        }

        private static void holdUntilBothHold() {
            BOTH_HOLD.countDown();
            try {
                BOTH_HOLD.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void waitsLong() {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
