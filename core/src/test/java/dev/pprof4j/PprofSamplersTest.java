package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.ProfilingState;
import dev.pprof4j.testing.RawProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Samplers started before their handler: the handler that adopts them
 * serves what they sampled before it existed and stops them when it closes;
 * samplers closed, or made with other options, are not adopted and hold no
 * recording. Each test runs in well under a second and a half.
 */
class PprofSamplersTest {

    private static final String CLASS = PprofSamplersTest.class.getName();
    private static final String EARLY_THREAD = CLASS + ".startThreadEarly";
    private static final String EARLY_CACHE = CLASS + ".fillCacheEarly";
    private static final int CACHED_ARRAYS = 1024;
    private static final int ARRAY_SIZE = 16 * 1024;
    private static final String KEEPER = "pprof4j live objects (RUNNING)";
    private static final Duration START = Duration.ofSeconds(10);

    private static final List<byte[]> CACHE = new ArrayList<>();

    @AfterEach
    void clearCache() {
        CACHE.clear();
    }

    @Test
    void theAdoptingHandlerServesWhatWasSampledBeforeItAndStopsTheSamplersWhenItCloses() throws Exception {
        long keepers = keepers();
        PprofSamplers early = started(PprofOptions.defaults());
        startThreadEarly();
        fillCacheEarly();
        try (PprofHandler handler = new PprofHandler(PprofOptions.defaults(), early);
                JdkHttpServer server = new JdkHttpServer(handler)) {
            // Adopted: closing the samplers is the handler's business now.
            early.close();
            assertThat(keepers()).as("one recording, the samplers'").isEqualTo(keepers + 1);
            String mount = server.origin() + "/debug/pprof";
            assertThat(HttpTestClient.get(mount + "/threadcreate?debug=1").text()).contains(EARLY_THREAD);
            RawProfile heap = RawProfile.parse(GoPprof.run("-raw", mount + "/heap?gc=1").stdout());
            long cached = (long) CACHED_ARRAYS * ARRAY_SIZE;
            assertThat(heap.total(HeapData.ALLOC_SPACE, EARLY_CACHE)).as("allocated").isGreaterThan(cached / 2);
            assertThat(heap.total(HeapData.INUSE_SPACE, EARLY_CACHE)).as("in use").isGreaterThan(cached / 2);
        }
        assertThat(keepers()).isEqualTo(keepers);
    }

    @Test
    void closedSamplersHoldNoRecordingAndAHandlerGivenThemSamplesFromItsOwnStart() throws Exception {
        long keepers = keepers();
        PprofSamplers early = started(PprofOptions.defaults());
        assertThat(keepers()).isEqualTo(keepers + 1);
        startThreadEarly();
        early.close();
        assertThat(keepers()).isEqualTo(keepers);
        assertSamplesFromItsOwnStart(early, PprofOptions.defaults(), keepers);
    }

    @Test
    void aHandlerWithOtherSamplingOptionsReleasesTheSamplersAndStartsItsOwn() throws Exception {
        long keepers = keepers();
        PprofSamplers early = started(PprofOptions.builder().stackDepth(32).build());
        startThreadEarly();
        assertSamplesFromItsOwnStart(early, PprofOptions.defaults(), keepers);
    }

    private static void assertSamplesFromItsOwnStart(PprofSamplers early, PprofOptions options, long keepers)
            throws Exception {
        try (PprofHandler handler = new PprofHandler(options, early);
                JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(START)).isTrue();
            assertThat(keepers()).as("the handler's own recording only").isEqualTo(keepers + 1);
            Thread later = new Thread(() -> { }, "started-later");
            later.start();
            later.join();
            String threads = HttpTestClient.get(server.origin() + "/debug/pprof/threadcreate?debug=1").text();
            assertThat(threads).contains(CLASS + ".assertSamplesFromItsOwnStart").doesNotContain(EARLY_THREAD);
        }
        assertThat(keepers()).isEqualTo(keepers);
    }

    @Test
    void samplersClosedWhileTheyStartStopOnceStarted() throws Exception {
        long keepers = keepers();
        PprofSamplers early = PprofSamplers.start(PprofOptions.defaults());
        early.close();
        assertThat(early.awaitSampling(START)).isTrue();
        assertThat(keepers()).isEqualTo(keepers);
    }

    /** Samplers that have started: JFR starts on pprof4j's own thread, and what comes before is not sampled. */
    private static PprofSamplers started(PprofOptions options) throws InterruptedException {
        PprofSamplers samplers = PprofSamplers.start(options);
        assertThat(samplers.awaitSampling(START)).isTrue();
        return samplers;
    }

    private static void startThreadEarly() throws InterruptedException {
        Thread thread = new Thread(() -> { }, "started-early");
        thread.start();
        thread.join();
    }

    /** Over several of JFR's throttle windows, as a startup fills its caches, not in one burst a window may miss. */
    private static void fillCacheEarly() throws InterruptedException {
        for (int i = 0; i < CACHED_ARRAYS; i++) {
            CACHE.add(new byte[ARRAY_SIZE]);
            if (i % 128 == 127) {
                Thread.sleep(50);
            }
        }
    }

    /** The running recordings that keep JFR's live samples: one per set of samplers. */
    private static long keepers() {
        return ProfilingState.recordings().stream().filter(KEEPER::equals).count();
    }
}
