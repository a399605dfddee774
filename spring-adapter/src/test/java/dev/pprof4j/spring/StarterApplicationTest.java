package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
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
 * The starter as a user adds it: nothing but the dependency and a property,
 * on embedded Tomcat; the real go tool pprof reads heap, goroutine and
 * profile from the configured path.
 */
@SpringBootTest(classes = StarterApplicationTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "pprof4j.path=/ops/pprof"})
class StarterApplicationTest {

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
