package dev.pprof4j.spring;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.PprofContract;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The whole pprof contract, served by the starter in a real Spring Boot
 * application on embedded Tomcat, under a context path, read over HTTP and
 * by go tool pprof.
 */
class SpringContractTest extends PprofContract {

    private ConfigurableApplicationContext context;

    /** An application that opens pprof4j's path in its security, as its operators decided. */
    // No component scan: each test's application stands alone.
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class Application {
        static PprofOptions options;

        /** The contract's options: the application's own handler bean replaces the starter's. */
        @Bean
        PprofHandler pprofHandler() {
            return new PprofHandler(options);
        }

        @Bean
        SecurityFilterChain security(HttpSecurity http) throws Exception {
            // go tool pprof POSTs to /symbol, and Go's handlers take form parameters: no CSRF tokens there.
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.ignoringRequestMatchers("/debug/pprof/**"))
                    .build();
        }
    }

    @Override
    protected String start(PprofOptions options) {
        Application.options = options;
        context = SpringApplication.run(Application.class, "--server.port=0", "--server.address=127.0.0.1",
                "--server.servlet.context-path=/app");
        String port = context.getEnvironment().getProperty("local.server.port");
        return "http://127.0.0.1:" + port + "/app/debug/pprof";
    }

    @Override
    protected void stop() {
        context.close();
    }
}
