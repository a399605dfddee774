package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/** pprof4j.allowed-addresses and pprof4j.trusted-proxies, over real HTTP on embedded Tomcat. */
@SpringBootTest(classes = TestApplications.Open.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "pprof4j.trusted-proxies=127.0.0.1",
                "pprof4j.allowed-addresses=203.0.113.0/24, 2001:db8::/32"})
class AccessPropertiesTest {

    @Autowired
    private Environment environment;

    @Test
    void thePropertiesDecideWhomToAnswer() throws Exception {
        String index = "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/debug/pprof/";
        assertThat(HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9").status()).isEqualTo(200);
        assertThat(HttpTestClient.getFrom("127.0.0.1", index, "Forwarded: for=\"[2001:db8::9]:443\"").status())
                .isEqualTo(200);
        HttpTestClient.Reply outsider = HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-For: 198.51.100.7");
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.text()).contains("for 198.51.100.7 (X-Forwarded-For)", "pprof4j.allowed-addresses");
        assertThat(HttpTestClient.getFrom("127.0.0.6", index).text()).contains("came from 127.0.0.6,");
    }
}
