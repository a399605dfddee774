package dev.pprof4j.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.HttpTestClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The servlet as a container creates it from its class name, with its no-argument constructor. */
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
}
