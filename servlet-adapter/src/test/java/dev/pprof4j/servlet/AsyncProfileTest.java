package dev.pprof4j.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.HttpTestClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Long profiles in servlet async mode on a real Jetty: no container thread held, a lost client ends the profile. */
class AsyncProfileTest {

    /** A servlet container serving {@link PprofServlet} at {@code /debug/pprof/*}, in async mode; JUnit closes it. */
    interface Container extends AutoCloseable {
        /** Returns the port. */
        int start(PprofOptions options, int idleTimeoutMillis) throws Exception;
    }

    static final class Jetty implements Container {
        private Server server;

        @Override
        public int start(PprofOptions options, int idleTimeoutMillis) throws Exception {
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
        public void close() throws Exception {
            server.stop();
        }
    }

    static final class Tomcat implements Container {
        private org.apache.catalina.startup.Tomcat tomcat;

        @Override
        public int start(PprofOptions options, int idleTimeoutMillis) throws Exception {
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
        public void close() throws Exception {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    static List<Container> containers() {
        return List.of(new Jetty(), new Tomcat());
    }

    @ParameterizedTest
    @MethodSource("containers")
    void aProfileWaitsOnPprofsThreadPastTheConnectionsIdleTimeout(Container container) throws Exception {
        String mount = "http://127.0.0.1:" + container.start(PprofOptions.defaults(), 1_000) + "/debug/pprof";
        Thread client = new Thread(() -> {
            try {
                HttpTestClient.Reply reply = HttpTestClient.get(mount + "/profile?seconds=3");
                assertThat(reply.status()).isEqualTo(200);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        client.start();
        Thread.sleep(1_500);
        assertThat(profilingThreads()).hasSize(1).allMatch(name -> name.startsWith("pprof4j-worker-"));
        client.join();
    }

    @ParameterizedTest
    @MethodSource("containers")
    void aClientThatGoesAwayEndsItsProfile(Container container) throws Exception {
        int port = container.start(PprofOptions.builder().maxConcurrentProfiles(1).build(), 30_000);
        String mount = "http://127.0.0.1:" + port + "/debug/pprof";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /debug/pprof/profile?seconds=60 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(1_500);
            assertThat(profilingThreads()).hasSize(1);
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!profilingThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(profilingThreads()).isEmpty();
        // The one permitted profile is free again.
        assertThat(HttpTestClient.get(mount + "/profile?seconds=1").status()).isEqualTo(200);
    }

    /** Names of the threads waiting out a CPU profile's window. */
    private static List<String> profilingThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(thread.getValue())
                        .anyMatch(frame -> frame.getClassName().equals("dev.pprof4j.PprofHandler")
                                && frame.getMethodName().equals("streamCpuProfile")))
                .map(Map.Entry::getKey).map(Thread::getName).toList();
    }
}
