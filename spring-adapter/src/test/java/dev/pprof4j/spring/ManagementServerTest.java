package dev.pprof4j.spring;

import static dev.pprof4j.spring.TestApplications.getAsOperator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * {@code pprof4j.server=management} with Actuator on a port of its own, on
 * embedded Tomcat: the profiles move to the management port, behind the
 * application's security there too, and leave the application's port.
 */
@SpringBootTest(classes = TestApplications.LoginRequired.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.server.port=0",
                "management.server.address=127.0.0.1", "pprof4j.server=management"})
class ManagementServerTest {

    @Autowired
    private Environment environment;

    private String url(String port, String path) {
        return "http://127.0.0.1:" + environment.getProperty(port) + path;
    }

    @Test
    void theManagementPortServesEveryProfileToAnOperatorWhoLogsIn() throws Exception {
        assertThat(environment.getProperty("local.management.port"))
                .isNotEqualTo(environment.getProperty("local.server.port"));
        for (String profile : new String[] {"heap", "goroutine", "profile?seconds=1"}) {
            HttpResponse<byte[]> reply = getAsOperator(url("local.management.port", "/debug/pprof/") + profile);
            assertThat(reply.statusCode()).as(profile).isEqualTo(200);
            GoPprof.Run top = GoPprof.run("-top", GoPprof.save(reply.body(), "p.pb.gz").toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
        }
        assertThat(new String(getAsOperator(url("local.management.port", "/debug/pprof/")).body()))
                .contains("<a href='heap?debug=1'>");
    }

    @Test
    void withoutALoginTheManagementPortServesNothing() throws Exception {
        for (String path : new String[] {"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"}) {
            assertThat(HttpTestClient.get(url("local.management.port", path)).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void theApplicationsPortNoLongerServesProfiles() throws Exception {
        assertThat(getAsOperator(url("local.server.port", "/debug/pprof/heap")).statusCode()).isEqualTo(404);
    }
}
