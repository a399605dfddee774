package dev.pprof4j.spring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import dev.pprof4j.testing.RouteLabelContract;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The applications the starter's tests run, as users write them: nothing but
 * auto-configuration and a security rule. No component scan: each stands
 * alone.
 */
final class TestApplications {

    private TestApplications() {
    }

    /** Security that lets every request in. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Open {
        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
    }

    /** {@link Open} with one endpoint, {@code /orders/{id}}: a controller and the starter, nothing else. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Orders.class)
    static class Shop extends Open {
    }

    @RestController
    static class Orders {
        @GetMapping("/orders/{id}")
        String order(@PathVariable("id") String id) {
            return RouteLabelContract.order(id);
        }
    }

    /** Security that requires a login for everything; the operator is {@code ops:secret}, by HTTP basic. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class LoginRequired {
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

    /** GETs {@code url} logged in as the operator of {@link LoginRequired}. */
    static HttpResponse<byte[]> getAsOperator(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "ops:secret".getBytes(StandardCharsets.US_ASCII)))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
