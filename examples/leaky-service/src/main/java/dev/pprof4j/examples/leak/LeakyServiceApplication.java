package dev.pprof4j.examples.leak;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A small Spring Boot service that leaks memory through its metrics:
 * {@code /} answers {@code OK}, {@code /metrics} serves Prometheus metrics,
 * {@code /debug/pprof/} serves pprof4j's profiles, and every request leaves
 * a timer behind ({@link RequestTimingFilter}). Run with {@code --fixed} (or
 * the Spring profile {@code fixed}) for the version without the leak.
 */
@SpringBootApplication
public class LeakyServiceApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(LeakyServiceApplication.class);
        if (Arrays.asList(args).contains("--fixed")) {
            application.setAdditionalProfiles("fixed");
        }
        application.run(Arrays.stream(args).filter(arg -> !arg.equals("--fixed")).toArray(String[]::new));
    }

    @Bean
    RequestTimingFilter requestTimingFilter(MeterRegistry registry, Environment environment) {
        return new RequestTimingFilter(registry, environment.matchesProfiles("fixed"));
    }
}
