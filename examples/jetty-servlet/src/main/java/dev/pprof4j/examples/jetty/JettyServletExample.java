package dev.pprof4j.examples.jetty;

import dev.pprof4j.servlet.PprofServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The smallest application with pprof4j: a servlet answering {@code OK} at
 * {@code /}, and {@link PprofServlet} at {@code /debug/pprof/*}.
 *
 * <pre>
 * java -jar jetty-servlet-example.jar [port]      # default 8080, loopback only
 * go tool pprof http://127.0.0.1:8080/debug/pprof/goroutine
 * </pre>
 */
public final class JettyServletExample {

    private JettyServletExample() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new OkServlet(), "/");
        context.addServlet(new PprofServlet(), "/debug/pprof/*");
        server.setHandler(context);
        server.start();
        System.out.println("Serving on http://127.0.0.1:" + connector.getLocalPort()
                + "/ - profiles at /debug/pprof/");
        server.join();
    }

    /** The application itself. */
    private static final class OkServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setContentType("text/plain");
            response.getWriter().print("OK\n");
        }
    }
}
