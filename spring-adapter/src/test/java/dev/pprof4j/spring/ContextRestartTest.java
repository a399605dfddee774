package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.testing.HttpTestClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter's handler is a bean and the servlet leaves its life to the
 * context: stopping and starting the context (its web server stops and
 * starts, destroying and initializing the servlet) keeps it sampling, and
 * a new context makes a new handler.
 */
class ContextRestartTest {

    @Test
    void profilesWorkAfterTheContextStopsAndStartsAndInANewContext() throws Exception {
        List<PprofHandler> handlers = new ArrayList<>();
        for (int life = 0; life < 2; life++) {
            try (ConfigurableApplicationContext context = SpringApplication.run(TestApplications.Open.class,
                    "--server.port=0", "--server.address=127.0.0.1")) {
                handlers.add(context.getBean(PprofHandler.class));
                assertThat(HttpTestClient.get(mount(context) + "/heap").status()).isEqualTo(200);
                context.stop();
                context.start();
                for (String profile : List.of("heap", "allocs?seconds=1", "profile?seconds=1")) {
                    HttpTestClient.Reply reply = HttpTestClient.get(mount(context) + "/" + profile);
                    assertThat(reply.status()).as(profile + ": " + reply.text()).isEqualTo(200);
                }
            }
        }
        assertThat(handlers.get(1)).isNotSameAs(handlers.get(0));
    }

    private static String mount(ConfigurableApplicationContext context) {
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/debug/pprof";
    }
}
