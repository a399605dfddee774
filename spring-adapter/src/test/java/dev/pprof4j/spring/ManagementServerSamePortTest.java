package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * {@code pprof4j.server=management} where Actuator shares the application's
 * port: the management server is the application's, and serves the profiles.
 */
@SpringBootTest(classes = TestApplications.Open.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "pprof4j.server=management"})
class ManagementServerSamePortTest {

    @Autowired
    private Environment environment;

    @Test
    void theApplicationsPortServesTheProfiles() throws Exception {
        String mount = "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/debug/pprof";
        assertThat(HttpTestClient.get(mount + "/heap?debug=1").status()).isEqualTo(200);
        assertThat(HttpTestClient.get(mount + "/").text()).contains("<a href='heap?debug=1'>");
    }
}
