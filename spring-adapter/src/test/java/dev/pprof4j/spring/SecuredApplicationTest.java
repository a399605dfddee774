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
 * A real application on embedded Tomcat whose security requires a login for
 * everything: pprof4j's endpoints are behind it like any other, and an
 * operator who logs in gets every profile, read by go tool pprof.
 */
@SpringBootTest(classes = SecuredApplicationTest.Application.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class SecuredApplicationTest {

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
            HttpResponse<byte[]> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(mount() + "/" + profile))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:secret".getBytes()))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(reply.statusCode()).as(profile).isEqualTo(200);
            GoPprof.Run top = GoPprof.run("-top", GoPprof.save(reply.body(), "p.pb.gz").toString());
            assertThat(top.exitCode()).as(top.stderr()).isZero();
        }
    }
}
