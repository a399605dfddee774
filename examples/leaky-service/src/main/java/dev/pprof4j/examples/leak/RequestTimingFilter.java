package dev.pprof4j.examples.leak;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times every request into {@code http.request.duration}, with its median
 * and 99th percentile.
 *
 * <p>The leaky version has the bug this example exists for: it builds its
 * timer per request, tagged with the request's id so that a slow request can
 * be found by it. Every id is a new tag value, so every request registers a
 * new timer, with its percentile buffers, in the application's meter
 * registry, which keeps its meters for the life of the application. The heap
 * grows with the number of requests served, and so does {@code /metrics}.
 * The fixed version builds its one timer in the constructor.
 */
final class RequestTimingFilter extends OncePerRequestFilter {

    static final String METER = "http.request.duration";

    private final MeterRegistry registry;
    private final Timer requests;

    /** @param fixed whether to time all requests with one timer, built here, rather than one per request */
    RequestTimingFilter(MeterRegistry registry, boolean fixed) {
        this.registry = registry;
        this.requests = fixed ? Timer.builder(METER).publishPercentiles(0.5, 0.99).register(registry) : null;
    }

    /** Times the application's requests, not the scrapes and profiles that watch it. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/metrics") || path.startsWith("/health") || path.startsWith("/debug/pprof");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Timer.Sample sample = Timer.start(registry);
        try {
            chain.doFilter(request, response);
        } finally {
            Timer timer = requests;
            if (timer == null) {
                String id = requestId(request);
                timer = Timer.builder(METER).tag("request", id).publishPercentiles(0.5, 0.99).register(registry);
            }
            sample.stop(timer);
        }
    }

    /** The id a proxy or tracing library put on the request, or a new one. */
    private static String requestId(HttpServletRequest request) {
        String id = request.getHeader("X-Request-Id");
        return id != null ? id : UUID.randomUUID().toString();
    }
}
