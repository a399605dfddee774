package dev.pprof4j;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * pprof4j's own threads, which answer requests handed over asynchronously,
 * so that a timed profile holds none of the container's threads. Requests
 * beyond the threads wait in a bounded line; beyond it, they are refused.
 */
final class RequestWorkers implements AutoCloseable {

    /** Answers a request; {@code abandoned} says whether its client's container has given up on it. */
    @FunctionalInterface
    interface Answer {
        void answer(PprofExchange exchange, BooleanSupplier abandoned);
    }

    /** Requests beyond the threads wait in line, up to this many; each holds only its exchange. */
    private static final int QUEUED_REQUESTS = 64;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final ThreadPoolExecutor pool;

    RequestWorkers(int threads) {
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS), RequestWorkers::thread);
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Answers {@code exchange} on a worker, as {@link PprofHandler#handleAsync} describes; where no worker
     * can take it, sends a 503 at once.
     */
    CompletableFuture<Void> submit(PprofExchange exchange, Answer answer) {
        AbandonableExchange guarded = new AbandonableExchange(exchange);
        AtomicReference<FutureTask<Void>> work = new AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                // Before anything that waits on the future runs: the container may recycle the response then.
                guarded.abandon();
                work.get().cancel(true);
                return super.cancel(mayInterruptIfRunning);
            }
        };
        work.set(new FutureTask<>(() -> answer.answer(guarded, done::isCancelled), null));
        try {
            pool.execute(() -> {
                try {
                    work.get().run();
                } finally {
                    done.complete(null);
                }
            });
        } catch (RejectedExecutionException e) {
            (pool.isShutdown() ? Response.error(503, "pprof4j has been closed")
                    : Response.tryLater("too many pprof requests in progress; try again later")).deliver(exchange);
            done.complete(null);
        }
        return done;
    }

    /** Interrupts the requests under way; later ones are refused. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static Thread thread(Runnable task) {
        Thread thread = new Thread(task, "pprof4j-worker-" + NUMBERS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
