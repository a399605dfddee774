package dev.pprof4j.servlet;

import dev.pprof4j.PprofExchange;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A servlet request and response as a {@link PprofExchange}, the path below
 * the mount point being the request's path info. Public for the adapters of
 * frameworks that run on servlets (the Javalin plugin); applications use
 * {@link PprofServlet}.
 */
public final class ServletExchange implements PprofExchange {

    private final HttpServletRequest request;
    private final HttpServletResponse response;

    public ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String requestUrl() {
        return request.getRequestURL().toString();
    }

    @Override
    public String pathInfo() {
        return request.getPathInfo();
    }

    @Override
    public String queryString() {
        return request.getQueryString();
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public List<String> requestHeaders(String name) {
        Enumeration<String> values = request.getHeaders(name);
        // Null where the container does not let the application read headers.
        return values == null ? List.of() : Collections.list(values);
    }

    @Override
    public InputStream requestBody() throws IOException {
        return request.getInputStream();
    }

    @Override
    public void setStatus(int status) {
        response.setStatus(status);
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public OutputStream responseBody() throws IOException {
        return response.getOutputStream();
    }
}
