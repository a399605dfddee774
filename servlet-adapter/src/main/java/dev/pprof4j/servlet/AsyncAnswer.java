package dev.pprof4j.servlet;

import dev.pprof4j.PprofExchange;
import dev.pprof4j.PprofHandler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.CompletableFuture;

/**
 * The bridge from a servlet's async mode to {@link PprofHandler#handleAsync}:
 * the request is answered on pprof4j's own thread, with no container
 * deadline (the handler bounds every profile by its maximum duration), and
 * when the container gives up on it (an error, a timeout) the answer under
 * way is cancelled, which stops its profile and writes nothing more. For
 * {@link PprofServlet} and the adapters of servlet-based frameworks.
 */
public final class AsyncAnswer {

    private AsyncAnswer() {
    }

    /**
     * Answers {@code exchange}, whose request is in async mode as {@code async}; the future completes once
     * the response is sent. Completing {@code async} is the caller's.
     */
    public static CompletableFuture<Void> start(PprofHandler handler, AsyncContext async, PprofExchange exchange) {
        async.setTimeout(0);
        Abandoned abandoned = new Abandoned();
        // Before the answer starts, so that no event is missed.
        async.addListener(abandoned);
        CompletableFuture<Void> answer = handler.handleAsync(exchange);
        // Cancelled from the listener, the container completes the request itself once the listener returns.
        abandoned.event.thenRun(() -> answer.cancel(true));
        return answer;
    }

    /** Completes its event when the container gives up on the request. */
    private static final class Abandoned implements AsyncListener {
        private final CompletableFuture<Void> event = new CompletableFuture<>();

        @Override
        public void onError(AsyncEvent e) {
            event.complete(null);
        }

        @Override
        public void onTimeout(AsyncEvent e) {
            event.complete(null);
        }

        @Override
        public void onComplete(AsyncEvent e) {
        }

        @Override
        public void onStartAsync(AsyncEvent e) {
        }
    }
}
