package dev.pprof4j.servlet;

import static dev.pprof4j.testing.ProfilingState.ALLOCATION_EVENTS;
import static dev.pprof4j.testing.ProfilingState.anyEnabled;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.HttpTestClient;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The servlet as containers create it, start it and stop it. */
class PprofServletTest {

    @Test
    void mountsByClassNameAtTheRootContext() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(PprofServlet.class, "/debug/pprof/*");
        server.setHandler(context);
        server.start();
        try {
            String mount = "http://127.0.0.1:" + connector.getLocalPort() + "/debug/pprof";
            assertThat(HttpTestClient.get(mount).header("Location")).isEqualTo("/debug/pprof/");
            assertThat(HttpTestClient.get(mount + "/").text()).contains("<a href='goroutine?debug=1'>");
            assertThat(HttpTestClient.get(mount + "/goroutine?debug=1").text()).startsWith("goroutine profile: total ");
        } finally {
            server.stop();
        }
    }

    /** Jetty keeps the servlet instance across a context's stop and start: the second life samples again. */
    @Test
    void survivesAContextStopAndStart() throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(new PprofServlet(PprofOptions.defaults()));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/debug/pprof/*");
        server.setHandler(context);
        server.start();
        try {
            String mount = "http://127.0.0.1:" + connector.getLocalPort() + "/debug/pprof";
            assertThat(HttpTestClient.get(mount + "/heap").status()).isEqualTo(200);
            context.stop();
            assertThat(anyEnabled(ALLOCATION_EVENTS)).as("sampling after the stop").isFalse();
            context.start();
            for (String profile : List.of("heap", "heap?debug=1", "allocs?seconds=1", "profile?seconds=1")) {
                HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + profile);
                assertThat(reply.status()).as(profile + ": " + reply.text()).isEqualTo(200);
            }
        } finally {
            server.stop();
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
            Server server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHolder(servlet), "/debug/pprof/*");
            server.setHandler(context);
            server.start();
            try {
                String mount = "http://127.0.0.1:" + connector.getLocalPort() + "/debug/pprof";
                assertThat(HttpTestClient.get(mount + "/heap").status()).isEqualTo(200);
            } finally {
                server.stop();
            }
            assertThat(anyEnabled(ALLOCATION_EVENTS)).as("the caller's handler still samples").isTrue();
        }
    }
}
