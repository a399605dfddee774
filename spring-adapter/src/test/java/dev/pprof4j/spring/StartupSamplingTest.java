package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofSamplers;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.ProfilingState;
import dev.pprof4j.testing.RawProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Sampling starts with the application, before its context refreshes, on
 * pprof4j's own thread: what the context allocates once it has started,
 * before pprof4j's handler exists, has live samples at its stack, and the handler adopts the samplers rather than starting a
 * second set. Samplers are released where pprof4j is off, where its handler
 * is replaced and where the context fails to start. Four application
 * starts, a few seconds each.
 */
class StartupSamplingTest {

    private static final String CACHE_FILLER = StartupSamplingTest.class.getName() + ".fillStartupCache";
    /** 64 MiB: enough of the context's allocation buffers for a few tens of samples at the site. */
    private static final int CACHED_ARRAYS = 4096;
    private static final int ARRAY_SIZE = 16 * 1024;
    /** One per set of samplers: the recording that keeps JFR's live samples. */
    private static final String KEEPER = "pprof4j live objects (RUNNING)";
    private static final Duration START = Duration.ofSeconds(10);
    private static final String[] ARGUMENTS = {"--server.port=0", "--server.address=127.0.0.1"};

    static final List<byte[]> STARTUP_CACHE = new ArrayList<>();

    @AfterEach
    void clearCache() {
        STARTUP_CACHE.clear();
    }

    @Test
    void whatTheContextAllocatesBeforeTheHandlerExistsHasLiveSamplesThere() throws Exception {
        long keepers = keepers();
        try (ConfigurableApplicationContext context = SpringApplication.run(
                new Class<?>[] {TestApplications.Open.class, StartupCache.class}, ARGUMENTS)) {
            assertThat(keepers()).as("the handler's samplers only").isEqualTo(keepers + 1);
            String heap = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
                    + "/debug/pprof/heap?gc=1";
            RawProfile profile = RawProfile.parse(GoPprof.run("-raw", heap).stdout());
            long cached = (long) CACHED_ARRAYS * ARRAY_SIZE;
            assertThat(profile.total(1, CACHE_FILLER)).as("alloc_space").isBetween(cached * 3 / 4, cached * 5 / 4);
            assertThat(profile.total(3, CACHE_FILLER)).as("inuse_space").isGreaterThan(cached / 2);
        }
        assertThat(keepers()).isEqualTo(keepers);
    }

    @Test
    void nothingSamplesWhenPprof4jIsOff() {
        long keepers = keepers();
        try (ConfigurableApplicationContext context = SpringApplication.run(TestApplications.Open.class,
                "--server.port=0", "--server.address=127.0.0.1", "--pprof4j.enabled=false")) {
            assertThat(context.getBeansOfType(PprofSamplers.class)).isEmpty();
            assertThat(keepers()).isEqualTo(keepers);
        }
    }

    @Test
    void aHandlerOfTheApplicationsOwnLeavesTheStartupSamplersReleased() throws InterruptedException {
        long keepers = keepers();
        try (ConfigurableApplicationContext context = SpringApplication.run(
                new Class<?>[] {TestApplications.Open.class, OwnHandler.class}, ARGUMENTS)) {
            assertThat(context.getBean(StartupSamplingListener.SAMPLERS_BEAN, PprofSamplers.class)
                    .awaitSampling(START)).isTrue();
            assertThat(context.getBean(PprofHandler.class).awaitSampling(START)).isTrue();
            assertThat(keepers()).as("the application's handler's samplers only").isEqualTo(keepers + 1);
        }
        assertThat(keepers()).isEqualTo(keepers);
    }

    /** Once the handler exists, the context's failure closes it, as any bean. */
    @Test
    void aContextThatFailsToStartBeforeTheHandlerExistsLeavesNoSamplerBehind() throws InterruptedException {
        long keepers = keepers();
        assertThatThrownBy(() -> SpringApplication.run(new Class<?>[] {TestApplications.Open.class,
                FailsBeforeTheHandler.class}, ARGUMENTS)).hasStackTraceContaining("startup fails");
        // Samplers closed while they start stop as soon as they have started, on their own thread.
        long deadline = System.nanoTime() + START.toNanos();
        while (keepers() != keepers && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(keepers()).isEqualTo(keepers);
    }

    private static long keepers() {
        return ProfilingState.recordings().stream().filter(KEEPER::equals).count();
    }

    /**
     * Over several of JFR's throttle windows, as a startup fills its caches: a burst inside one window, whose
     * share the context's own allocations on this thread may have spent, can go unsampled.
     */
    static void fillStartupCache() throws InterruptedException {
        for (int i = 0; i < CACHED_ARRAYS; i++) {
            STARTUP_CACHE.add(new byte[ARRAY_SIZE]);
            if (i % 256 == 255) {
                Thread.sleep(50);
            }
        }
    }

    /**
     * Fills a cache while the context is being refreshed, before any ordinary bean (pprof4j's handler)
     * exists, once sampling has started: it starts beside the application, which does not wait for it.
     */
    @Configuration(proxyBeanMethods = false)
    static class StartupCache {
        @Bean
        static BeanFactoryPostProcessor startupCache() {
            return beanFactory -> {
                try {
                    assertThat(beanFactory.getBean(StartupSamplingListener.SAMPLERS_BEAN, PprofSamplers.class)
                            .awaitSampling(START)).isTrue();
                    fillStartupCache();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandler {
        @Bean(destroyMethod = "close")
        PprofHandler pprofHandler() {
            return new PprofHandler();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailsBeforeTheHandler {
        @Bean
        static BeanFactoryPostProcessor failing() {
            return beanFactory -> {
                throw new IllegalStateException("startup fails");
            };
        }
    }
}
