package dev.pprof4j;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels the adapters give each request, named as OpenTelemetry's
 * semantic conventions name them, so that the queries users already write
 * work on profiles too:
 *
 * <pre>
 * go tool pprof -tagfocus='http.route=/orders/{id}' http://host:port/debug/pprof/allocs
 * go tool pprof -tags http://host:port/debug/pprof/profile?seconds=10
 * </pre>
 *
 * <p>Values are few by construction: the route is the framework's template
 * ({@code /orders/{id}}, never {@code /orders/42}), and a method outside
 * HTTP's own is {@code _OTHER}, as the conventions say. A request with no
 * route matched carries the method alone. Labels the application sets with
 * {@link PprofLabels} are merged with these.
 */
public final class RouteLabels {

    /** The matched route template: {@code /orders/{id}}. */
    public static final String ROUTE = "http.route";
    /** The request method: {@code GET}, or {@code _OTHER}. */
    public static final String METHOD = "http.request.method";
    private static final Set<String> METHODS = Set.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH",
            "POST", "PUT", "QUERY", "TRACE");
    /** Routes whose label sets are made once and shared; an application has a few dozen, a few hundred at most. */
    static final int MAX_ROUTES = 1024;
    /** Route → method → labels: each thread's label history holds references to these, not copies. */
    private static final Map<String, Map<String, Map<String, String>>> BY_ROUTE = new ConcurrentHashMap<>();

    private RouteLabels() {
    }

    /** The labels of a request: its method, and its route template if one matched (else null). */
    public static Map<String, String> of(String method, String route) {
        String known = method != null && METHODS.contains(method) ? method : "_OTHER";
        String key = route == null ? "" : route;
        Map<String, Map<String, String>> byMethod = BY_ROUTE.get(key);
        if (byMethod == null) {
            if (BY_ROUTE.size() >= MAX_ROUTES) {
                return labels(known, key);
            }
            byMethod = BY_ROUTE.computeIfAbsent(key, r -> new ConcurrentHashMap<>());
        }
        return byMethod.computeIfAbsent(known, m -> labels(m, key));
    }

    private static Map<String, String> labels(String method, String route) {
        return route.isEmpty() ? Map.of(METHOD, method) : Map.of(METHOD, method, ROUTE, route);
    }

    /** Labels the current thread's work with the request's labels until the scope is closed. */
    public static PprofLabels.Scope open(String method, String route) {
        return PprofLabels.open(of(method, route));
    }
}
