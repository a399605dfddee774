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
 * A real application on embedded Tomcat whose security requires a login for
 * everything: pprof4j's endpoints are behind it like any other, and an
 * operator who logs in gets every profile, read by go tool pprof.
 */
@SpringBootTest(classes = TestApplications.LoginRequired.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SecuredApplicationTest {

    @Autowired
    private Environment environment;

    private String mount() {
        return "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/debug/pprof";
    }

    @Test
    void withoutALoginNothingIsServed() throws Exception {
        for (String path : new String[] {"", "/", "/heap", "/profile?seconds=1", "/cmdline", "/symbol"}) {
            assertThat(HttpTestClient.get(mount() + path).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void anOperatorWhoLogsInReadsEveryProfile() throws Exception {
        for (String profile : new String[] {"heap", "goroutine", "profile?seconds=1"}) {
            HttpResponse<byte[]> reply = getAsOperator(mount() + "/" + profile);
            assertThat(reply.statusCode()).as(profile).isEqualTo(200);
            GoPprof.Run top = GoPprof.run("-top", GoPprof.save(reply.body(), "p.pb.gz").toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
        }
    }
}
