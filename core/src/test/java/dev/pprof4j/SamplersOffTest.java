package dev.pprof4j;

import static dev.pprof4j.testing.AllocatingThread.allocatePaced;
import static dev.pprof4j.testing.AllocatingThread.onAThreadOfItsOwn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofOptions.Sampler;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.ProfilingState;
import dev.pprof4j.testing.RawProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Samplers turned off cost nothing and say so: their profiles stay listed and
 * answer 503 with the setting, JFR records none of their events, and the
 * other profiles work as before.
 */
class SamplersOffTest {

    private static final String KEEPER = "pprof4j live objects (RUNNING)";
    private static final List<String> CONTENTION_EVENTS = List.of("jdk.JavaMonitorEnter", "jdk.ThreadPark",
            "jdk.JavaMonitorWait", "jdk.ThreadSleep");

    @Test
    void withoutContentionThreadCreationAndTheLeakProfilerHeapStillCountsAllocations() throws Exception {
        long keepers = keepers();
        PprofOptions options = PprofOptions.builder()
                .samplersOff(Sampler.CONTENTION, Sampler.THREAD_CREATION, Sampler.LIVE_OBJECTS).build();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
            String mount = server.origin() + "/debug/pprof";
            assertOff(mount, Map.of("mutex", Sampler.CONTENTION, "block", Sampler.CONTENTION,
                    "delta_mutex", Sampler.CONTENTION, "delta_block", Sampler.CONTENTION,
                    "threadcreate", Sampler.THREAD_CREATION));
            assertThat(HttpTestClient.get(mount + "/").text()).contains(">mutex</a>", ">threadcreate</a>");
            assertThat(keepers()).as("no leak profiler").isEqualTo(keepers);
            assertThat(ProfilingState.anyEnabled(CONTENTION_EVENTS)).isFalse();

            onAThreadOfItsOwn(SamplersOffTest::allocate);
            RawProfile heap = RawProfile.parse(GoPprof.run("-raw", mount + "/heap?gc=1").stdout());
            assertThat(heap.total(HeapData.ALLOC_SPACE, SamplersOffTest.class.getName() + ".allocate"))
                    .isGreaterThan(16L << 20);
            assertThat(heap.total(HeapData.INUSE_SPACE, SamplersOffTest.class.getName() + ".allocate"))
                    .as("no live samples to share in-use bytes by").isZero();
        }
    }

    @Test
    void withoutTheHeapSamplerNoAllocationIsSampled() throws Exception {
        PprofOptions options = PprofOptions.builder().samplersOff(Sampler.HEAP).build();
        long keepers = keepers();
        try (PprofHandler handler = new PprofHandler(options); JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
            String mount = server.origin() + "/debug/pprof";
            assertOff(mount, Map.of("heap", Sampler.HEAP, "allocs", Sampler.HEAP, "delta_heap", Sampler.HEAP,
                    "heap?gc=1", Sampler.HEAP, "allocs?seconds=1", Sampler.HEAP));
            assertThat(keepers()).as("the leak profiler goes with the heap").isEqualTo(keepers);
            assertThat(ProfilingState.anyEnabled(ProfilingState.ALLOCATION_EVENTS)).isFalse();
            assertThat(HttpTestClient.get(mount + "/mutex").status()).isEqualTo(200);
        }
    }

    private static void assertOff(String mount, Map<String, Sampler> paths) throws Exception {
        for (Map.Entry<String, Sampler> path : paths.entrySet()) {
            HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + path.getKey());
            assertThat(reply.status()).as(path.getKey()).isEqualTo(503);
            assertThat(reply.text()).as(path.getKey()).isEqualTo(Profiles.offMessage(path.getValue()) + "\n");
        }
    }

    private static long allocate() {
        return allocatePaced(32 << 20);
    }

    private static long keepers() {
        return ProfilingState.recordings().stream().filter(KEEPER::equals).count();
    }
}
