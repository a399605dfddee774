package dev.pprof4j;

import java.io.IOException;

/**
 * One path under the mount point and its answer, as Go's
 * {@code net/http/pprof} has one handler function per path.
 * {@link PprofHandler} holds them in one table by name, which the index page
 * lists with their descriptions.
 */
interface Endpoint {

    /** The path below the mount point, e.g. {@code heap}; {@code ""} for the index. */
    String name();

    /**
     * The index page's line, by default the built-in one ({@link Descriptions}); null for an endpoint the
     * index does not list, as Go lists no {@code symbol}.
     */
    default String description() {
        return Descriptions.of(name());
    }

    /** The index page's figure: threads, records, entries; 0 where there is nothing to count. */
    default long count() {
        return 0;
    }

    /** @throws JfrUnavailableException where JFR cannot give what it needs: the handler answers 503 */
    Response respond(PprofExchange exchange) throws IOException, InterruptedException;
}
