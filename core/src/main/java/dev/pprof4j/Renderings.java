package dev.pprof4j;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The turns of a handler's profiles to be rendered into memory and sent: a
 * burst of requests holds at most this many snapshots and bodies at once,
 * and is answered about as fast (docs/design.md). A request waits for its
 * turn, fairly, up to 30 s.
 */
final class Renderings {

    private static final long WAIT_SECONDS = 30;

    /** Makes one response, rendered whole. */
    interface Rendering {
        Response render() throws IOException, InterruptedException;
    }

    private final Semaphore turns;

    Renderings(int atOnce) {
        this.turns = new Semaphore(atOnce, true);
    }

    /** The response {@code rendering} makes in its turn, which lasts until the client has the body; 503 if none comes. */
    Response render(Rendering rendering) throws IOException, InterruptedException {
        if (!turns.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
            return Response.tryLater("too many profiles being rendered at once; try again later");
        }
        Response response;
        try {
            response = rendering.render();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            turns.release();
            throw e;
        }
        return response.afterSend(turns::release);
    }
}
