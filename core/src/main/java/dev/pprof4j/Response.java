package dev.pprof4j;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A response. Most are rendered whole before anything is sent, so that a
 * failure while profiling becomes a clean 500 instead of a truncated body,
 * and HEAD can report the length a GET would have had. A profile over a time
 * window is {@linkplain #streamed streamed} instead: its status is sent at
 * once and its body written while it records, which tells it when the client
 * has gone.
 */
record Response(int status, Map<String, String> headers, byte[] body, Body streamedBody, Runnable afterSend) {

    /** A body whose length is not known in advance, and what it holds until sent. */
    interface Body {
        void write(OutputStream out) throws IOException, InterruptedException;

        /** Frees what the body holds; called once, whether or not {@link #write} ran or finished. */
        void release();
    }

    private static final Logger log = LoggerFactory.getLogger(Response.class);

    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    static final String BINARY = "application/octet-stream";

    /** A pprof response: every one carries {@code X-Content-Type-Options: nosniff}, as Go's do. */
    static Response ok(String contentType, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("X-Content-Type-Options", "nosniff");
        return new Response(200, headers, body, null, null);
    }

    static Response text(String body) {
        return ok(TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A profile to download, named as Go names it ({@code heap}, {@code heap-delta}). */
    static Response attachment(String filename, byte[] body) {
        Response response = ok(BINARY, body);
        response.headers.put("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        return response;
    }

    /** A profile to download whose body is written as it is recorded. */
    static Response streamed(String filename, Body body) {
        Response response = attachment(filename, new byte[0]);
        return new Response(200, response.headers, null, body, null);
    }

    /** Go's {@code serveError}: the message as text, marked {@code X-Go-Pprof: 1} so pprof shows it. */
    static Response error(int status, String message) {
        Response response = text(message + "\n");
        response.headers.put("X-Go-Pprof", "1");
        return new Response(status, response.headers, response.body, null, null);
    }

    /** A 503 for a limit that passes: {@code Retry-After} tells clients and scrapers when to come back. */
    static Response tryLater(String message) {
        Response response = error(503, message);
        response.headers.put("Retry-After", "1");
        return response;
    }

    /**
     * Go's ServeMux redirect from the mount point to the mount point with a
     * slash ({@code http.Redirect}): a small HTML body for GET and HEAD only.
     */
    static Response redirect(String location, String method) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] body = new byte[0];
        if (method.equalsIgnoreCase("GET") || method.equalsIgnoreCase("HEAD")) {
            headers.put("Content-Type", HTML);
            body = ("<a href=\"" + IndexPage.escape(location) + "\">Moved Permanently</a>.\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        headers.put("Location", location);
        return new Response(301, headers, body, null, null);
    }

    /** This response, running {@code action} once it has been sent or has failed to be. */
    Response afterSend(Runnable action) {
        return new Response(status, headers, body, streamedBody, action);
    }

    /**
     * Sends the response; never throws. A client gone is logged at debug
     * level, anything else as a warning; an interrupt is handed back.
     */
    void deliver(PprofExchange exchange) {
        try {
            send(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("pprof4j could not send the response, the client probably went away", e);
        } catch (JfrUnavailableException | SamplingStoppedException e) {
            log.debug("pprof4j stopped a streamed profile: {}", e.getMessage());
        } catch (Throwable t) {
            log.warn("pprof4j could not send the response: {}", t.toString(), t);
        }
    }

    void send(PprofExchange exchange) throws IOException, InterruptedException {
        try {
            sendOnce(exchange);
        } finally {
            if (afterSend != null) {
                afterSend.run();
            }
        }
    }

    private void sendOnce(PprofExchange exchange) throws IOException, InterruptedException {
        if (streamedBody != null) {
            try {
                exchange.setStatus(status);
                headers.forEach(exchange::setHeader);
                // As Go's handler, HEAD records too; only the body is left out.
                boolean head = exchange.method().equalsIgnoreCase("HEAD");
                try (OutputStream out = head ? OutputStream.nullOutputStream() : exchange.responseBody()) {
                    streamedBody.write(out);
                }
            } finally {
                streamedBody.release();
            }
            return;
        }
        exchange.setStatus(status);
        headers.forEach(exchange::setHeader);
        boolean head = exchange.method().equalsIgnoreCase("HEAD");
        exchange.setHeader("Content-Length", Integer.toString(body.length));
        if (!head) {
            try (OutputStream out = exchange.responseBody()) {
                out.write(body);
            }
        }
    }
}
