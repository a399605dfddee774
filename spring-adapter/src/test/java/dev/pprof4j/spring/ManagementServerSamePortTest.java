package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code pprof4j.server=management} where Actuator shares the application's
 * port: the management server is the application's, and serves the profiles.
 */
@SpringBootTest(classes = ManagementServerSamePortTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "pprof4j.server=management"})
class ManagementServerSamePortTest {

    // No component scan: each test's application stands alone.
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
    }

    @Autowired
    private Environment environment;

    @Test
    void theApplicationsPortServesTheProfiles() throws Exception {
        String mount = "http://127.0.0.1:" + environment.getProperty("local.server.port") + "/debug/pprof";
        assertThat(HttpTestClient.get(mount + "/heap?debug=1").status()).isEqualTo(200);
        assertThat(HttpTestClient.get(mount + "/").text()).contains("<a href='heap?debug=1'>");
    }
}
