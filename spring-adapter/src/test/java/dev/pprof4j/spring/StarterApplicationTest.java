package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * The starter as a user adds it: nothing but the dependency and a property,
 * on embedded Tomcat; the real go tool pprof reads heap, goroutine and
 * profile from the configured path.
 */
@SpringBootTest(classes = TestApplications.Open.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "pprof4j.path=/ops/pprof"})
class StarterApplicationTest {

    @Autowired
    private Environment environment;

    @Test
    void goToolPprofReadsHeapGoroutineAndProfile() throws Exception {
        String mount = "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/ops/pprof";
        for (String profile : new String[] {"heap", "goroutine", "profile?seconds=2"}) {
            GoPprof.Run top = GoPprof.run("-top", mount + "/" + profile);
            assertThat(top.exitCode()).as(profile + ": " + top.stderr()).isZero();
            assertThat(top.unexpectedStderr()).as(profile).isEmpty();
        }
        assertThat(HttpTestClient.get(mount + "/").text()).contains("<a href='profile?debug=1'>");
        assertThat(HttpTestClient.get("http://127.0.0.1:" + environment.getProperty("local.server.port")
                + "/debug/pprof/").status()).isEqualTo(404);
    }
}
