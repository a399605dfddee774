package dev.pprof4j.servlet;

import static dev.pprof4j.testing.ProfilingState.ALLOCATION_EVENTS;
import static dev.pprof4j.testing.ProfilingState.anyEnabled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.PprofLabels;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The servlet as containers create it, start it and stop it. */
class PprofServletTest {

    @Test
    void mountsByClassNameAtTheRootContext() throws Exception {
        Jetty jetty = Jetty.start(context -> context.addServlet(PprofServlet.class, "/debug/pprof/*"));
        try {
            assertThat(HttpTestClient.get(jetty.mount()).header("Location")).isEqualTo("/debug/pprof/");
            assertThat(HttpTestClient.get(jetty.mount() + "/").text()).contains("<a href='goroutine?debug=1'>");
            assertThat(HttpTestClient.get(jetty.mount() + "/goroutine?debug=1").text())
                    .startsWith("goroutine profile: total ");
        } finally {
            jetty.server().stop();
        }
    }

    /** Jetty keeps the servlet instance across a context's stop and start: the second life samples again. */
    @Test
    void survivesAContextStopAndStart() throws Exception {
        Jetty jetty = Jetty.start(context -> {
            ServletHolder holder = new ServletHolder(new PprofServlet(PprofOptions.defaults()));
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/debug/pprof/*");
        });
        try {
            assertThat(HttpTestClient.get(jetty.mount() + "/heap").status()).isEqualTo(200);
            jetty.context().stop();
            assertThat(anyEnabled(ALLOCATION_EVENTS)).as("sampling after the stop").isFalse();
            jetty.context().start();
            for (String profile : List.of("heap", "heap?debug=1", "allocs?seconds=1", "profile?seconds=1")) {
                HttpTestClient.Reply reply = HttpTestClient.get(jetty.mount() + "/" + profile);
                assertThat(reply.status()).as(profile + ": " + reply.text()).isEqualTo(200);
            }
        } finally {
            jetty.server().stop();
        }
        assertThat(anyEnabled(ALLOCATION_EVENTS)).as("sampling after the server stopped").isFalse();
    }

    /** A handler given by the caller is the caller's: the servlet's stop and start leave it open. */
    @Test
    void leavesAGivenHandlerOpen() throws Exception {
        try (PprofHandler handler = new PprofHandler()) {
            PprofServlet servlet = new PprofServlet(handler);
            servlet.init();
            servlet.destroy();
            Jetty jetty = Jetty.start(context -> context.addServlet(new ServletHolder(servlet), "/debug/pprof/*"));
            try {
                assertThat(HttpTestClient.get(jetty.mount() + "/heap").status()).isEqualTo(200);
            } finally {
                jetty.server().stop();
            }
            assertThat(anyEnabled(ALLOCATION_EVENTS)).as("the caller's handler still samples").isTrue();
        }
    }

    /** A started Jetty on loopback with one root context, and the pprof mount point on it. */
    @Test
    void theRouteLabelsFilterLabelsEachRequestWithItsServletsMapping() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        HttpServlet orders = new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) {
                seen.add(PprofLabels.current());
            }
        };
        Jetty jetty = Jetty.start(context -> {
            context.addFilter(RouteLabelsFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(orders), "/orders/*");
        });
        try {
            String origin = jetty.mount().replace("/debug/pprof", "");
            assertThat(HttpTestClient.get(origin + "/orders/42").status()).isEqualTo(200);
            assertThat(seen).containsExactly(Map.of("http.route", "/orders/*", "http.request.method", "GET"));
            assertThat(PprofLabels.current()).isEmpty();
        } finally {
            jetty.server().stop();
        }
    }

    private record Jetty(Server server, ServletContextHandler context, String mount) {
        static Jetty start(Consumer<ServletContextHandler> servlets) throws Exception {
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            servlets.accept(context);
            server.setHandler(context);
            server.start();
            return new Jetty(server, context, "http://127.0.0.1:" + connector.getLocalPort() + "/debug/pprof");
        }
    }
}
