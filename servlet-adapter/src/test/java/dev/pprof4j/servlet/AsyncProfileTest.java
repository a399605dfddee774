package dev.pprof4j.servlet;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.AsyncProfileContract;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Nested;

/** Long profiles in servlet async mode on a real Jetty and Tomcat: no container thread held, a lost client ends the profile. */
class AsyncProfileTest {

    @Nested
    class Jetty extends AsyncProfileContract {
        private Server server;

        @Override
        protected int start(PprofOptions options, int idleTimeoutMillis) throws Exception {
            server = new Server();
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setIdleTimeout(idleTimeoutMillis);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            ServletHolder holder = new ServletHolder(new PprofServlet(options));
            holder.setAsyncSupported(true);
            context.addServlet(holder, "/debug/pprof/*");
            server.setHandler(context);
            server.start();
            return connector.getLocalPort();
        }

        @Override
        protected void stop() throws Exception {
            server.stop();
        }
    }

    @Nested
    class Tomcat extends AsyncProfileContract {
        private org.apache.catalina.startup.Tomcat tomcat;

        @Override
        protected int start(PprofOptions options, int idleTimeoutMillis) throws Exception {
            tomcat = new org.apache.catalina.startup.Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("tomcat").toString());
            Connector connector = new Connector();
            connector.setPort(0);
            connector.setProperty("address", "127.0.0.1");
            connector.setProperty("connectionTimeout", String.valueOf(idleTimeoutMillis));
            tomcat.getService().addConnector(connector);
            Context context = tomcat.addContext("", null);
            Wrapper servlet = org.apache.catalina.startup.Tomcat.addServlet(context, "pprof", new PprofServlet(options));
            servlet.setAsyncSupported(true);
            context.addServletMappingDecoded("/debug/pprof/*", "pprof");
            tomcat.start();
            return connector.getLocalPort();
        }

        @Override
        protected void stop() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }
}
