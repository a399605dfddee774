package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.proto.ProfileProto;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.PprofContract;
import dev.pprof4j.testing.RawProfile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A service whose requests wait on virtual threads: thousands parked in one
 * method are counted at its stack in every form of {@code goroutine}, read by
 * the real client, and in its {@code seconds=N} delta. JDK 21 and later (the
 * build targets 17, so the executor is reached reflectively); on 17 the
 * profile is the platform threads', as the contract tests show.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTest {

    private static final int PARKED = 3000;
    private static final String FUNCTION = VirtualThreadsTest.class.getName() + ".parkedOnAVirtualThread";
    private static final String LATER = VirtualThreadsTest.class.getName() + ".parkedLater";

    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static ExecutorService virtualThreads;
    private static PprofHandler handler;
    private static JdkHttpServer server;
    private static String mount;
    private static int parked;

    @BeforeAll
    static void start() throws Exception {
        virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        park(PARKED, VirtualThreadsTest::parkedOnAVirtualThread);
        handler = new PprofHandler();
        server = new JdkHttpServer(handler);
        mount = server.origin() + "/debug/pprof";
    }

    @AfterAll
    static void stop() {
        RELEASE.countDown();
        virtualThreads.shutdown();
        server.close();
        handler.close();
    }

    @Test
    void theReferenceClientCountsThemAtTheirStack() throws Exception {
        GoPprof.Run raw = GoPprof.run("-raw", mount + "/goroutine");
        assertThat(raw.exitCode()).as(raw.stderr()).isZero();
        RawProfile profile = RawProfile.parse(raw.stdout());
        assertThat(profile.total(0, FUNCTION)).isEqualTo(PARKED);
        assertThat(profile.samples()).filteredOn(s -> s.hasFrame(FUNCTION)).singleElement()
                .satisfies(s -> assertThat(s.frames().get(s.frames().size() - 1))
                        .startsWith("java.lang.VirtualThread.run "));
        GoPprof.Run top = GoPprof.run("-top", "-focus=parkedOnAVirtualThread", mount + "/goroutine");
        assertThat(top.stdout()).containsPattern("(?m)^\\s+0\\s+0%\\s+\\S+%\\s+" + PARKED + "\\s+\\S+%\\s+"
                + Pattern.quote(FUNCTION) + "$");
    }

    @Test
    void theTextCountsThemAtTheirStack() throws Exception {
        String text = HttpTestClient.get(mount + "/goroutine?debug=1").text();
        Matcher total = Pattern.compile("^goroutine profile: total (\\d+)\n").matcher(text);
        assertThat(total.find()).isTrue();
        assertThat(Long.parseLong(total.group(1))).isGreaterThanOrEqualTo(PARKED);
        String block = Arrays.stream(text.split("\n\n")).filter(b -> b.contains("\t" + FUNCTION + "\t"))
                .findFirst().orElseThrow();
        assertThat(block).containsPattern("(?m)^" + PARKED + " @ 0x").contains("\tjava.lang.VirtualThread.run\t");
    }

    @Test
    void theDumpShowsEachOneAsVirtual() throws Exception {
        String dump = HttpTestClient.get(mount + "/goroutine?debug=2").text();
        assertThat(dump).endsWith("\n").doesNotContain("\n\n\n");
        List<String> parked = new ArrayList<>();
        for (String block : dump.split("\n\n")) {
            assertThat(block.lines().findFirst().orElseThrow()).endsWith("]:");
            if (block.contains("\tat " + FUNCTION + "(VirtualThreadsTest.java:")) {
                parked.add(block);
            }
        }
        assertThat(parked).hasSize(PARKED).allSatisfy(block -> assertThat(block)
                .containsPattern("^\"\" #\\d+ virtual \\[(WAITING|unknown)\\]:\n")
                .containsPattern("\tat java.lang.VirtualThread.run\\(VirtualThread.java:\\d+\\)$"));
    }

    @Test
    void aDeltaCountsThoseStartedDuringItsWindow() throws Exception {
        HttpTestClient.Reply[] reply = new HttpTestClient.Reply[1];
        Thread client = new Thread(() -> {
            try {
                reply[0] = HttpTestClient.get(mount + "/goroutine?seconds=6");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        client.start();
        // Well after the window's first snapshot, a dump of the thousands already parked.
        Thread.sleep(2500);
        park(500, VirtualThreadsTest::parkedLater);
        client.join();
        assertThat(reply[0].status()).isEqualTo(200);
        ProfileProto.Profile delta = PprofContract.parse(reply[0].body());
        assertThat(PprofContract.samplesWith(delta, LATER)).containsExactly(500L);
        assertThat(PprofContract.samplesWith(delta, FUNCTION)).isEmpty();
    }

    private static void park(int count, Runnable task) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            virtualThreads.execute(() -> {
                started.countDown();
                task.run();
            });
        }
        started.await();
        // Counted down just before they park: until the JVM's own dump shows every one parked.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (parkedInAwaitRelease() < parked + count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        parked += count;
    }

    private static long parkedInAwaitRelease() {
        long[] count = new long[1];
        VirtualThreadDump.forEach(thread -> {
            if (thread.stack().size() > 1 && thread.stack().get(0).getMethodName().equals("park")
                    && thread.stack().stream().anyMatch(f -> f.getMethodName().equals("awaitRelease"))) {
                count[0]++;
            }
        });
        return count[0];
    }

    private static void parkedOnAVirtualThread() {
        awaitRelease();
    }

    private static void parkedLater() {
        awaitRelease();
    }

    private static void awaitRelease() {
        try {
            RELEASE.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
