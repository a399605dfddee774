package dev.pprof4j.testing;

import com.sun.net.httpserver.HttpExchange;
import dev.pprof4j.PprofExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * The JDK's built-in HTTP server as a {@link PprofExchange}: the smallest
 * real container, so core's contract tests run over real HTTP with no
 * framework.
 */
final class JdkHttpServerExchange implements PprofExchange {

    private final HttpExchange exchange;
    private final String mountPoint;
    private int status = 200;
    private long length = -1;
    private boolean sent;

    JdkHttpServerExchange(HttpExchange exchange, String mountPoint) {
        this.exchange = exchange;
        this.mountPoint = mountPoint;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod();
    }

    @Override
    public String requestUrl() {
        return "http://" + exchange.getRequestHeaders().getFirst("Host") + exchange.getRequestURI().getRawPath();
    }

    @Override
    public String pathInfo() {
        return exchange.getRequestURI().getPath().substring(mountPoint.length());
    }

    @Override
    public String queryString() {
        return exchange.getRequestURI().getRawQuery();
    }

    @Override
    public String remoteAddress() {
        return exchange.getRemoteAddress().getAddress().getHostAddress();
    }

    @Override
    public List<String> requestHeaders(String name) {
        return exchange.getRequestHeaders().getOrDefault(name, List.of());
    }

    @Override
    public InputStream requestBody() {
        return exchange.getRequestBody();
    }

    @Override
    public void setStatus(int status) {
        this.status = status;
    }

    @Override
    public void setHeader(String name, String value) {
        if (name.equalsIgnoreCase("Content-Length")) {
            length = Long.parseLong(value);
        } else {
            exchange.getResponseHeaders().set(name, value);
        }
    }

    @Override
    public OutputStream responseBody() throws IOException {
        // The JDK server: 0 means chunked, -1 no body.
        sendHeaders(length < 0 ? 0 : length == 0 ? -1 : length);
        return exchange.getResponseBody();
    }

    /** Completes a response whose body was never asked for (HEAD). */
    void finish() throws IOException {
        if (!sent) {
            if (length >= 0) {
                exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            }
            sendHeaders(-1);
        }
        exchange.close();
    }

    private void sendHeaders(long bodyLength) throws IOException {
        sent = true;
        exchange.sendResponseHeaders(status, bodyLength);
    }
}
