package dev.pprof4j.spring;

import dev.pprof4j.PprofLabels;
import dev.pprof4j.RouteLabels;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Labels the work of each Spring MVC request with its handler's route
 * pattern ({@code /orders/{id}}, as matched, never the path itself) and
 * method: {@link RouteLabels}. The pattern is known once a handler is
 * chosen, so the labels cover the interceptors, the handler and the view,
 * and end when the request completes or leaves its thread for async
 * processing (whose dispatch back is labelled anew). A forward's dispatch is
 * labelled with its own route while it runs, then the forwarding one's again.
 */
final class RouteLabelsInterceptor implements AsyncHandlerInterceptor {

    private static final String SCOPE = RouteLabelsInterceptor.class.getName() + ".scope";

    /** A request's scope, and the one of the dispatch it is nested in (a forward), to go back to. */
    private record Opened(PprofLabels.Scope scope, Object enclosing) {
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        request.setAttribute(SCOPE, new Opened(RouteLabels.open(request.getMethod(),
                pattern == null ? null : pattern.toString()), request.getAttribute(SCOPE)));
        return true;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception failure) {
        close(request);
    }

    @Override
    public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
            Object handler) {
        close(request);
    }

    private static void close(HttpServletRequest request) {
        if (request.getAttribute(SCOPE) instanceof Opened opened) {
            if (opened.enclosing() == null) {
                request.removeAttribute(SCOPE);
            } else {
                request.setAttribute(SCOPE, opened.enclosing());
            }
            opened.scope().close();
        }
    }
}
