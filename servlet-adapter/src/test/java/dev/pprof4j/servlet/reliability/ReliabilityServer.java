package dev.pprof4j.servlet.reliability;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.servlet.PprofServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A service as pprof4j runs in it: Jetty 12 on 127.0.0.1, {@link PprofServlet}
 * registered async at {@code /debug/pprof/*} as the README says, and the
 * application's own endpoint at {@code /app/work} on the same server.
 */
final class ReliabilityServer implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;

    ReliabilityServer(PprofOptions options) throws Exception {
        this(new PprofServlet(options));
    }

    ReliabilityServer(HttpServlet pprof) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(pprof);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/debug/pprof/*");
        context.addServlet(new ServletHolder(new Application()), "/app/*");
        server.setHandler(context);
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT/debug/pprof}. */
    String mount() {
        return "http://127.0.0.1:" + port() + "/debug/pprof";
    }

    /** The application's endpoint. */
    String application() {
        return "http://127.0.0.1:" + port() + "/app/work";
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** A request's worth of an ordinary service's work: some hashing and allocation, a small answer. */
    static final class Application extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            byte[] data = new byte[16 * 1024];
            ThreadLocalRandom.current().nextBytes(data);
            byte[] digest;
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                for (int i = 0; i < 8; i++) {
                    sha.update(data);
                }
                digest = sha.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            response.setContentType("text/plain;charset=utf-8");
            response.getOutputStream().write((HexFormat.of().formatHex(digest) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
