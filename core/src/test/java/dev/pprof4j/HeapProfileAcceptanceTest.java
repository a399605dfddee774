package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leak story, measured with the real {@code go tool pprof}: one call site
 * keeps {@value #RETAINED} bytes reachable from a static collection while
 * another allocates ten times as much garbage.
 */
class HeapProfileAcceptanceTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final long RETAINED = 100L << 20;
    private static final int OBJECT_SIZE = 1024;
    private static final String CLASS = HeapProfileAcceptanceTest.class.getName();
    private static final String LEAK = CLASS + ".retainSessions";
    private static final String GARBAGE = CLASS + ".renderPages";

    static final ArrayList<byte[]> SESSIONS = new ArrayList<>();
    private static volatile Object sink;

    private PprofHandler handler;
    private JdkHttpServer server;
    private String heap;

    @BeforeEach
    void start() throws Exception {
        handler = new PprofHandler();
        server = new JdkHttpServer(handler);
        heap = server.origin() + "/debug/pprof/heap";
    }

    @AfterEach
    void stop() {
        SESSIONS.clear();
        server.close();
        handler.close();
    }

    @Test
    void findsTheLeakingLineAndEstimatesWhatItHoldsAndAllocated() throws Exception {
        // Pooled threads, as in a server: they outlive the work, so the JVM's exact
        // per-thread allocation counters stay readable while the profile is taken.
        ExecutorService leakPool = Executors.newSingleThreadExecutor();
        ExecutorService garbagePool = Executors.newSingleThreadExecutor();
        Future<Long> leak = leakPool.submit(() -> allocated(() -> retainSessions(RETAINED / OBJECT_SIZE)));
        Future<Long> garbage = garbagePool.submit(() -> allocated(() -> renderPages(RETAINED * 12 / OBJECT_SIZE)));
        try {
            assertLeakIsFound(leak.get(), garbage.get());
        } finally {
            leakPool.shutdown();
            garbagePool.shutdown();
        }
    }

    private void assertLeakIsFound(long leaked, long churned) throws Exception {
        assertThat(churned).isGreaterThan(10 * leaked);

        GoPprof.Run top = GoPprof.run("-top", "-sample_index=inuse_space", heap + "?gc=1");
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.unexpectedStderr()).isEmpty();
        assertThat(top.firstTopRow()).as(top.stdout()).endsWith(" " + LEAK);

        GoPprof.Run raw = GoPprof.run("-raw", heap + "?gc=1");
        RawProfile profile = RawProfile.parse(raw.stdout());
        long leakInUse = profile.total(3, LEAK);
        long ownInUse = profile.samples().stream()
                .filter(s -> s.frames().stream().anyMatch(frame -> frame.startsWith(CLASS + ".")))
                .mapToLong(s -> s.values()[3]).sum();
        assertThat((double) leakInUse / ownInUse).as("%d of %d", leakInUse, ownInUse).isGreaterThanOrEqualTo(0.9);
        assertThat((double) leakInUse / RETAINED).as("in use %d", leakInUse).isBetween(0.7, 1.3);

        GoPprof.Run allocs = GoPprof.run("-top", "-sample_index=alloc_space", server.origin() + "/debug/pprof/allocs");
        assertThat(allocs.firstTopRow()).as(allocs.stdout()).endsWith(" " + GARBAGE);
        RawProfile allocated = RawProfile.parse(GoPprof.run("-raw", server.origin() + "/debug/pprof/allocs").stdout());
        assertThat((double) allocated.total(1, LEAK) / leaked).as("leak site allocated").isBetween(0.85, 1.15);
        assertThat((double) allocated.total(1, GARBAGE) / churned).as("garbage site allocated")
                .isBetween(0.85, 1.15);

        GoPprof.Run lines = GoPprof.run("-top", "-lines", "-sample_index=inuse_space", heap);
        assertThat(lines.firstTopRow()).as(lines.stdout())
                .endsWith(" " + LEAK + " dev/pprof4j/HeapProfileAcceptanceTest.java:" + retainingLine());

        GoPprof.Run focused = GoPprof.run("-raw", "-focus=retainSessions", heap);
        RawProfile focus = RawProfile.parse(focused.stdout());
        assertThat(focus.samples()).isNotEmpty().allSatisfy(s -> assertThat(s.hasFrame(LEAK)).isTrue());

        SESSIONS.clear();
        SESSIONS.trimToSize();
        RawProfile afterFix = RawProfile.parse(GoPprof.run("-raw", heap + "?gc=1").stdout());
        assertThat((double) afterFix.total(3, LEAK) / RETAINED).as("in use after clearing").isLessThan(0.1);
    }

    /** The leak: every session is kept forever. */
    private static void retainSessions(long count) {
        for (long i = 0; i < count; i++) {
            SESSIONS.add(new byte[OBJECT_SIZE]); // the retaining line
        }
    }

    private static void renderPages(long count) {
        for (long i = 0; i < count; i++) {
            sink = new byte[OBJECT_SIZE];
        }
    }

    /** Bytes the current thread allocated while running {@code work}. */
    private static long allocated(Runnable work) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        work.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static int retainingLine() throws Exception {
        List<String> source = Files.readAllLines(Path.of("src/test/java/dev/pprof4j/HeapProfileAcceptanceTest.java"),
                StandardCharsets.UTF_8);
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).endsWith("// the retaining line")) {
                return i + 1;
            }
        }
        throw new AssertionError("retaining line not found");
    }
}
