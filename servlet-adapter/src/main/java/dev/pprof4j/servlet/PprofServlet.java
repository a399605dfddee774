package dev.pprof4j.servlet;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves Go's {@code /debug/pprof/} endpoints from any Jakarta Servlet 6
 * container. Map it to {@code /debug/pprof/*} (under any context path):
 *
 * <pre>{@code
 * context.addServlet(new PprofServlet(), "/debug/pprof/*");
 * }</pre>
 *
 * and read profiles with {@code go tool pprof http://host:port/debug/pprof/goroutine}.
 * All behaviour lives in {@link PprofHandler}; this class only translates.
 */
public final class PprofServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient PprofHandler handler;

    /** A servlet with {@link PprofOptions#defaults()}. */
    public PprofServlet() {
        this(PprofOptions.defaults());
    }

    public PprofServlet(PprofOptions options) {
        this.handler = new PprofHandler(options);
    }

    /** Ends the handler's sampling when the container takes the servlet out of service. */
    @Override
    public void destroy() {
        handler.close();
    }

    /** Every method, HEAD included, goes to the handler, as Go's handlers take every method. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        handler.handle(new ServletExchange(request, response));
    }
}
