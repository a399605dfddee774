package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.RouteLabelContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * An application with the starter and a {@code /orders/{id}} controller, no
 * code of pprof4j's in it: the real go tool pprof finds the endpoint's CPU and
 * allocations under {@code -tagfocus=http.route=/orders/{id}}.
 */
@SpringBootTest(classes = TestApplications.Shop.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
class RouteLabelsTest {

    @Autowired
    private Environment environment;

    @Test
    void goToolPprofCutsCpuAndAllocationsByRoute() throws Exception {
        String base = "http://127.0.0.1:" + environment.getProperty("local.server.port");
        RouteLabelContract.check(base + "/debug/pprof", base + "/orders/42");
    }
}
