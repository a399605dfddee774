package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An exchange that can be let go of: once {@link #abandon()} returns,
 * nothing more reaches the container's response, which may already be
 * recycled for another request. A write under way when it is called
 * finishes first.
 */
final class AbandonableExchange implements PprofExchange {

    private final PprofExchange exchange;
    private boolean abandoned;

    AbandonableExchange(PprofExchange exchange) {
        this.exchange = exchange;
    }

    synchronized void abandon() {
        abandoned = true;
    }

    @Override
    public String method() {
        return exchange.method();
    }

    @Override
    public String requestUrl() {
        return exchange.requestUrl();
    }

    @Override
    public String pathInfo() {
        return exchange.pathInfo();
    }

    @Override
    public String queryString() {
        return exchange.queryString();
    }

    @Override
    public String remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public List<String> requestHeaders(String name) {
        return exchange.requestHeaders(name);
    }

    @Override
    public InputStream requestBody() throws IOException {
        return exchange.requestBody();
    }

    @Override
    public synchronized void setStatus(int status) {
        if (!abandoned) {
            exchange.setStatus(status);
        }
    }

    @Override
    public synchronized void setHeader(String name, String value) {
        if (!abandoned) {
            exchange.setHeader(name, value);
        }
    }

    @Override
    public synchronized OutputStream responseBody() throws IOException {
        OutputStream out = live().responseBody();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                synchronized (AbandonableExchange.this) {
                    live();
                    out.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                synchronized (AbandonableExchange.this) {
                    live();
                    out.write(bytes, offset, length);
                }
            }

            @Override
            public void flush() throws IOException {
                synchronized (AbandonableExchange.this) {
                    live();
                    out.flush();
                }
            }

            @Override
            public void close() throws IOException {
                synchronized (AbandonableExchange.this) {
                    if (!abandoned) {
                        out.close();
                    }
                }
            }
        };
    }

    private PprofExchange live() throws IOException {
        if (abandoned) {
            throw new IOException("the request was given up");
        }
        return exchange;
    }
}
