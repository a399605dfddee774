package dev.pprof4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** {@code /debug/pprof/}: Go's {@code Index}, every endpoint with a description, sorted by name. */
final class IndexEndpoint implements Endpoint {

    /** The profiles the index page shows {@code go tool pprof} commands for. */
    private static final List<String> USAGE_PROFILES = List.of("heap", "allocs", "profile", "goroutine");

    private final Collection<Endpoint> endpoints;

    /** @param endpoints the handler's table, sorted by name; read at each request */
    IndexEndpoint(Collection<Endpoint> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public String name() {
        return "";
    }

    @Override
    public Response respond(PprofExchange exchange) {
        List<IndexPage.Entry> entries = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (endpoint.description() != null) {
                entries.add(new IndexPage.Entry(endpoint.name(), endpoint.count(), endpoint.description()));
            }
        }
        String url = exchange.requestUrl();
        String baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        return Response.ok(Response.HTML, IndexPage.render(entries, baseUrl, USAGE_PROFILES)
                .getBytes(StandardCharsets.UTF_8));
    }
}
