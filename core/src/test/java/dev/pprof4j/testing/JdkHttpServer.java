package dev.pprof4j.testing;

import com.sun.net.httpserver.HttpServer;
import dev.pprof4j.PprofHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A {@link PprofHandler} mounted at {@code /debug/pprof} in the JDK's HTTP server, on loopback. */
public final class JdkHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();

    public JdkHttpServer(PprofHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/debug/pprof", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/debug/pprof") && !path.startsWith("/debug/pprof/")) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            JdkHttpServerExchange pprofExchange = new JdkHttpServerExchange(exchange, "/debug/pprof");
            handler.handle(pprofExchange);
            pprofExchange.finish();
        });
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        // Idle request threads would otherwise linger for a minute, into later tests' thread counts.
        executor.shutdown();
    }
}
