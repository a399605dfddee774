package dev.pprof4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code pprof4j.server=management} with Actuator on a port of its own, on
 * embedded Tomcat: the profiles move to the management port, behind the
 * application's security there too, and leave the application's port.
 */
@SpringBootTest(classes = ManagementServerTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "management.server.port=0",
                "management.server.address=127.0.0.1", "pprof4j.server=management"})
class ManagementServerTest {

    // No component scan: each test's application stands alone.
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .httpBasic(Customizer.withDefaults())
                    .build();
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(User.withUsername("ops").password("{noop}secret").roles("OPS")
                    .build());
        }
    }

    @Autowired
    private Environment environment;

    private String url(String port, String path) {
        return "http://127.0.0.1:" + environment.getProperty(port) + path;
    }

    private static HttpResponse<byte[]> loggedIn(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theManagementPortServesEveryProfileToAnOperatorWhoLogsIn() throws Exception {
        assertThat(environment.getProperty("local.management.port"))
                .isNotEqualTo(environment.getProperty("local.server.port"));
        for (String profile : new String[] {"heap", "goroutine", "profile?seconds=1"}) {
            HttpResponse<byte[]> reply = loggedIn(url("local.management.port", "/debug/pprof/" + profile));
            assertThat(reply.statusCode()).as(profile).isEqualTo(200);
            GoPprof.Run top = GoPprof.run("-top", GoPprof.save(reply.body(), "p.pb.gz").toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
        }
        assertThat(new String(loggedIn(url("local.management.port", "/debug/pprof/")).body()))
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
        assertThat(loggedIn(url("local.server.port", "/debug/pprof/heap")).statusCode()).isEqualTo(404);
    }
}
