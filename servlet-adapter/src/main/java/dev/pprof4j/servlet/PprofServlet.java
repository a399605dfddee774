package dev.pprof4j.servlet;

import dev.pprof4j.PprofHandler;
import dev.pprof4j.PprofOptions;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Serves Go's {@code /debug/pprof/} endpoints from any Jakarta Servlet 6
 * container. Map it to {@code /debug/pprof/*} (under any context path):
 *
 * <pre>{@code
 * context.addServlet(new PprofServlet(), "/debug/pprof/*");
 * }</pre>
 *
 * and read profiles with {@code go tool pprof http://host:port/debug/pprof/goroutine}.
 * Register it with async support ({@code asyncSupported}) so that a 30-second
 * CPU profile waits on pprof4j's thread instead of the container's, and a
 * client that goes away ends its profile at once; without it, requests are
 * answered on the container's thread. A servlet that makes its own handler
 * samples from each {@link #init()} to its {@link #destroy()}, so it
 * survives a context's stop and start; one given a handler leaves the
 * handler's life to the caller. All behaviour lives in {@link PprofHandler};
 * this class only translates.
 */
public final class PprofServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** What the servlet's own handler is made of; null when the caller gives the handler. */
    private final transient PprofOptions options;
    private transient volatile PprofHandler handler;

    /** A servlet with {@link PprofOptions#defaults()}. */
    public PprofServlet() {
        this(PprofOptions.defaults());
    }

    /** A servlet whose handler, made of {@code options}, lives from each {@link #init()} to its {@link #destroy()}. */
    public PprofServlet(PprofOptions options) {
        this.options = options;
    }

    /** A servlet serving a handler whose life the caller manages (a framework's bean, say). */
    public PprofServlet(PprofHandler handler) {
        this.options = null;
        this.handler = handler;
    }

    /**
     * Starts the sampling of this servlet's own handler. A container that
     * stops and starts a context (Jetty keeps the servlet instance) calls
     * it again after {@link #destroy()}: each life has a handler of its own.
     *
     * @throws IllegalArgumentException if the options name a profile twice
     */
    @Override
    public void init() {
        if (options != null) {
            handler = new PprofHandler(options);
        }
    }

    /** Ends the sampling of the handler this servlet created when the container takes it out of service. */
    @Override
    public void destroy() {
        if (options != null && handler != null) {
            handler.close();
        }
    }

    /** Every method, HEAD included, goes to the handler, as Go's handlers take every method. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        PprofHandler handler = this.handler;
        if (!request.isAsyncSupported()) {
            handler.handle(new ServletExchange(request, response));
            return;
        }
        AsyncContext async = request.startAsync();
        CompletableFuture<Void> answer = AsyncAnswer.start(handler, async, new ServletExchange(request, response));
        answer.thenRun(async::complete);
    }
}
