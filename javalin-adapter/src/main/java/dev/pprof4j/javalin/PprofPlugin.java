package dev.pprof4j.javalin;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofLabels;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.RouteLabels;
import dev.pprof4j.servlet.AsyncAnswer;
import dev.pprof4j.servlet.ServletExchange;
import io.javalin.config.JavalinState;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.plugin.Plugin;
import io.javalin.router.HandlerWrapper;
import io.javalin.security.RouteRole;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.jetty.ee10.servlet.ServletChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Serves Go's {@code /debug/pprof/} endpoints from a Javalin 7 application:
 *
 * <pre>{@code
 * Javalin.create(config -> config.registerPlugin(new PprofPlugin())).start(8080);
 *
 * config.registerPlugin(new PprofPlugin(pprof -> {
 *     pprof.path = "/admin/pprof";
 *     pprof.options = PprofOptions.builder().allowedAddresses("10.0.0.0/8").build();
 * }));
 * }</pre>
 *
 * and read profiles with {@code go tool pprof http://host:port/debug/pprof/goroutine}.
 * Every method on the mount point and below goes to {@link PprofHandler},
 * which does all routing and answers errors as Go does. Requests are answered
 * on pprof4j's own thread through Javalin's {@code ctx.future}, with no async
 * timeout and Jetty's idle timeout lifted above the longest profile, so a
 * 30-second CPU profile holds no Jetty thread and is not cut off; a client
 * that goes away ends its profile. Sampling starts when Javalin applies the
 * plugin and ends when the server stops: one handler for the server's one
 * life, since a stopped Javalin cannot start again.
 *
 * <p>Each HTTP handler's work is labelled with its endpoint's path and method
 * ({@link RouteLabels}), so that
 * {@code go tool pprof -tagfocus=http.route=/orders/{id}} cuts CPU,
 * allocations and heap by endpoint; {@code PprofOptions.routeLabels(false)}
 * turns that off. Work a handler hands to {@code ctx.future} runs unlabelled,
 * as in Go without a context.
 */
public final class PprofPlugin extends Plugin<PprofPlugin.Config> {

    /** How much longer than the longest profile a connection may stay silent while pprof answers. */
    private static final Duration IDLE_MARGIN = Duration.ofSeconds(30);

    /** The plugin's settings, set in the constructor's consumer. */
    public static final class Config {
        /** Where the endpoints are mounted, below Javalin's context path: {@code /debug/pprof} by default, as Go's. */
        public String path = "/debug/pprof";
        /**
         * How the handler profiles and whom it answers: by default this machine's own loopback client only;
         * {@code allowedAddresses} and {@code trustedProxies} open up (docs/deployment.md).
         */
        public PprofOptions options = PprofOptions.defaults();
        /** Roles of the routes, for the application's own access checks; none by default. */
        public RouteRole[] roles = {};
    }

    /** A plugin at {@code /debug/pprof} with {@link PprofOptions#defaults()}. */
    public PprofPlugin() {
        this(config -> { });
    }

    public PprofPlugin(Consumer<Config> userConfig) {
        super(userConfig, new Config());
    }

    /** @throws IllegalArgumentException if the path is the root, or the options name a profile twice */
    @Override
    public void onStart(JavalinState state) {
        String mount = mountPoint(pluginConfig.path);
        PprofHandler handler = new PprofHandler(pluginConfig.options);
        // Closed before Jetty stops, so that profiles under way end at once instead of holding up the stop.
        state.events.serverStopping(handler::close);
        state.events.serverStartFailed(handler::close);
        long idleTimeout = pluginConfig.options.maxProfileDuration().plus(IDLE_MARGIN).toMillis();
        Handler route = ctx -> serve(handler, mount, idleTimeout, ctx);
        for (HandlerType method : HandlerType.values()) {
            if (method.isHttpMethod()) {
                // The mount point itself (redirected by the handler, as Go's mux does) and everything below it.
                state.routes.addHttpHandler(method, mount, route, pluginConfig.roles);
                state.routes.addHttpHandler(method, mount + "/*", route, pluginConfig.roles);
            }
        }
        if (pluginConfig.options.routeLabels()) {
            labelRoutes(state);
        }
    }

    /**
     * Labels each HTTP handler's work with its endpoint's path as registered ({@code /orders/{id}}) and its
     * method, around any wrapper the application set before.
     */
    private static void labelRoutes(JavalinState state) {
        HandlerWrapper previous = state.router.getHandlerWrapper$javalin();
        state.router.handlerWrapper(endpoint -> {
            Handler handler = previous == null ? endpoint.handler : previous.wrap(endpoint);
            if (!endpoint.method.isHttpMethod()) {
                return handler;
            }
            Map<String, String> labels = RouteLabels.of(endpoint.method.name(), endpoint.path);
            return ctx -> {
                try (PprofLabels.Scope ignored = PprofLabels.open(labels)) {
                    handler.handle(ctx);
                }
            };
        });
    }

    /** {@code debug/pprof/} and {@code /debug/pprof} both mean {@code /debug/pprof}. */
    private static String mountPoint(String path) {
        String mount = path.strip();
        while (mount.endsWith("/")) {
            mount = mount.substring(0, mount.length() - 1);
        }
        if (mount.isEmpty()) {
            throw new IllegalArgumentException("pprof4j needs a path of its own below the root, e.g. /debug/pprof");
        }
        return mount.startsWith("/") ? mount : "/" + mount;
    }

    private static void serve(PprofHandler handler, String mount, long idleTimeout, Context ctx) {
        // Javalin sets its default content type on every response; the handler sets the ones Go sends.
        ctx.res().setContentType(null);
        // The servlet response itself, not Javalin's result or compressing stream.
        ServletExchange exchange = new ServletExchange(new BelowMount(ctx.req(), mount), ctx.res());
        ctx.future(() -> {
            Runnable restoreIdleTimeout = liftIdleTimeout(ctx.req(), idleTimeout);
            CompletableFuture<Void> answer = AsyncAnswer.start(handler, ctx.req().getAsyncContext(), exchange);
            answer.whenComplete((ignored, failure) -> restoreIdleTimeout.run());
            // The response is sent; a client that went away is no error for Javalin's exception handling.
            return answer.handle((ignored, failure) -> null);
        });
    }

    /**
     * Lifts the connection's idle timeout to {@code millis} while pprof
     * answers, as Jetty's {@code IdleTimeoutHandler} does, and returns what
     * puts it back. A profile is silent for up to its whole window
     * ({@code trace}, {@code ?seconds=N}) or between its streamed writes
     * ({@code profile}, a second apart), and Jetty may cut a response whose
     * writes come further apart than the idle timeout.
     */
    private static Runnable liftIdleTimeout(HttpServletRequest request, long millis) {
        ServletChannel channel;
        try {
            channel = ServletContextRequest.getServletContextRequest(request).getServletChannel();
        } catch (IllegalStateException e) {
            // Javalin's servlet in another container: its timeouts are the application's to set.
            return () -> { };
        }
        long before = channel.getIdleTimeout();
        if (before <= 0 || before >= millis) {
            return () -> { };
        }
        channel.setIdleTimeout(millis);
        return () -> channel.setIdleTimeout(before);
    }

    /** The request as a servlet mapped to {@code mount/*} sees it: the path below the mount point is its path info. */
    private static final class BelowMount extends HttpServletRequestWrapper {
        private final String mount;

        BelowMount(HttpServletRequest request, String mount) {
            super(request);
            this.mount = mount;
        }

        /** The decoded path below the context path, as Javalin routes it, less the mount point; null for the mount point. */
        @Override
        public String getPathInfo() {
            String pathInfo = super.getPathInfo();
            String path = getServletPath() + (pathInfo == null ? "" : pathInfo);
            return path.length() <= mount.length() ? null : path.substring(mount.length());
        }
    }
}
