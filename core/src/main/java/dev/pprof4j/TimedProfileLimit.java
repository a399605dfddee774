package dev.pprof4j;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The one guard of the profiles that take time ({@code profile},
 * {@code trace}, {@code ?seconds=N}): how long one may run, Go's check
 * against the server's {@code WriteTimeout}, and how many may run at once.
 */
final class TimedProfileLimit {

    private final long maxSeconds;
    private final int maxConcurrent;
    private final Semaphore permits;

    TimedProfileLimit(Duration maxDuration, int maxConcurrent) {
        this.maxSeconds = maxDuration.toSeconds();
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
    }

    /** Go's 400 for a profile longer than the server allows, or null. */
    Response refuseDuration(double seconds) {
        return seconds > maxSeconds ? Response.error(400, "profile duration exceeds server's WriteTimeout") : null;
    }

    /** Takes a permit for one profile if one is free; {@link #end} gives it back. */
    boolean tryStart() {
        return permits.tryAcquire();
    }

    void end() {
        permits.release();
    }

    /** The answer when no permit is free. */
    Response busy() {
        return Response.tryLater("too many profiles in progress (at most " + maxConcurrent
                + " at once); try again later");
    }
}
