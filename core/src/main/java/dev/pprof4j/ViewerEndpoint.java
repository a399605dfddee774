package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code /debug/pprof/ui/}: a profile viewer in the browser, for teams
 * without a Go toolchain. One page, its script and its style sheet, served
 * from the jar; the script fetches the profiles from this same mount point
 * as {@code go tool pprof} does, and draws them. Nothing comes from
 * anywhere else, and the page's own Content-Security-Policy says so, so it
 * works offline and behind a strict policy. {@code ui} without the slash
 * is redirected, as the page's links are relative.
 */
final class ViewerEndpoint implements Endpoint {

    static final String NAME = "ui";
    /** The viewer's files: below {@code ui/}, and their types. */
    private static final Map<String, String> FILES = Map.of(
            "", Response.HTML,
            "viewer.js", "text/javascript; charset=utf-8",
            "viewer.css", "text/css; charset=utf-8");
    private static final String RESOURCES = "/dev/pprof4j/ui/";
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final Map<String, byte[]> bodies;

    ViewerEndpoint() {
        Map<String, byte[]> read = new HashMap<>();
        FILES.keySet().forEach(file -> read.put(file, read(file.isEmpty() ? "index.html" : file)));
        this.bodies = Map.copyOf(read);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return null;
    }

    @Override
    public Response respond(PprofExchange exchange) {
        String path = exchange.pathInfo();
        if (path.equals("/" + NAME)) {
            // The view lives in the query: a shared link keeps it.
            String query = exchange.queryString();
            return Response.redirect(NAME + "/" + (query == null || query.isEmpty() ? ""
                    : "?" + MountPointRedirect.escape(query)), exchange.method());
        }
        String file = path.substring(NAME.length() + 2);
        byte[] body = bodies.get(file);
        if (body == null) {
            return Response.error(404, "Unknown profile");
        }
        Response response = Response.ok(FILES.get(file), body);
        response.headers().put("Content-Security-Policy", POLICY);
        response.headers().put("Cache-Control", "no-cache");
        return response;
    }

    private static byte[] read(String file) {
        try (InputStream in = ViewerEndpoint.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("pprof4j's jar lacks " + RESOURCES + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
