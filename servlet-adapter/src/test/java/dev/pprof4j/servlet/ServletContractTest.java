package dev.pprof4j.servlet;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.PprofContract;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The whole pprof contract, served by {@link PprofServlet} in a real Jetty 12
 * (Servlet 6) under a context path, read over HTTP and by go tool pprof.
 */
class ServletContractTest extends PprofContract {

    private Server server;

    @Override
    protected String start(PprofOptions options) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        ServletHolder holder = new ServletHolder(new PprofServlet(options));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/debug/pprof/*");
        server.setHandler(context);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/app/debug/pprof";
    }

    @Override
    protected void stop() throws Exception {
        server.stop();
    }
}
