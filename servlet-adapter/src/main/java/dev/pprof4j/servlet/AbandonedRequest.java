package dev.pprof4j.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.concurrent.CompletableFuture;

/**
 * Listens to an async request for the container giving up on it (an error,
 * a timeout) and then cancels the answer under way, which stops its profile
 * and writes nothing more. Register it before starting the answer, so that
 * no such event is missed; for adapters of servlet-based frameworks too.
 */
public final class AbandonedRequest implements AsyncListener {

    private final CompletableFuture<Void> abandoned = new CompletableFuture<>();

    /** Cancels {@code answer} when the request is abandoned, at once if it already was. */
    public void cancels(CompletableFuture<?> answer) {
        abandoned.thenRun(() -> answer.cancel(true));
    }

    @Override
    public void onError(AsyncEvent event) {
        abandoned.complete(null);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        abandoned.complete(null);
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
