package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * One HTTP request and its response, as a web framework presents them to
 * {@link PprofHandler}. An adapter implements this in a few lines over its
 * framework's request and response types, and does nothing else.
 */
public interface PprofExchange {

    /** The request method, e.g. {@code GET}, {@code POST}, {@code HEAD}. */
    String method();

    /**
     * The URL the client requested, without the query string:
     * {@code http://host:8080/app/debug/pprof/heap}.
     */
    String requestUrl();

    /**
     * The part of the path below the mount point: {@code /heap},
     * {@code /example.com/custom}, {@code /} for the index; {@code null} or
     * empty when the mount point itself was requested without its trailing
     * slash (the handler then redirects, as Go does).
     */
    String pathInfo();

    /** The raw query string, without {@code ?}, or {@code null}. */
    String queryString();

    /**
     * The client's IP address as the server saw the connection, e.g.
     * {@code 127.0.0.1} or {@code 0:0:0:0:0:0:0:1}: what access is judged by.
     */
    String remoteAddress();

    /**
     * Every value of a request header, one per header line in the order the
     * client sent them; empty when the header is absent, never {@code null}.
     * All lines matter: access is judged by the whole of each forwarding
     * header, and a proxy may add its own line after the client's.
     */
    List<String> requestHeaders(String name);

    /** The request body, read by the handler only for POSTed parameters and {@code symbol}. */
    InputStream requestBody() throws IOException;

    void setStatus(int status);

    void setHeader(String name, String value);

    /** The response body; called at most once, after the status and headers are set. */
    OutputStream responseBody() throws IOException;
}
