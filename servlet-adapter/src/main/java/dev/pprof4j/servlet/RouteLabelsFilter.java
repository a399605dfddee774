package dev.pprof4j.servlet;

import dev.pprof4j.PprofLabels;
import dev.pprof4j.RouteLabels;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;

/**
 * Labels the work of each request with the mapping of the servlet it goes
 * to ({@code /orders/*}, {@code *.do}: the pattern, never the path) and its
 * method ({@link RouteLabels}), so that
 * {@code go tool pprof -tagfocus='http.route=/orders/\*'} cuts CPU,
 * allocations and heap by servlet. Map it in front of everything:
 *
 * <pre>{@code
 * context.addFilter(RouteLabelsFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>Frameworks that route below one servlet know their routes better:
 * the Spring starter and the Javalin plugin label by them instead. Work
 * that continues asynchronously on another thread is not labelled.
 */
public final class RouteLabelsFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http)) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletMapping mapping = http.getHttpServletMapping();
        try (PprofLabels.Scope ignored = RouteLabels.open(http.getMethod(), mapping == null ? null : mapping.getPattern())) {
            chain.doFilter(request, response);
        }
    }
}
