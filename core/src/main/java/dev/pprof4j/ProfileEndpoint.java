package dev.pprof4j;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * {@code /debug/pprof/<name>} for a {@link NamedProfile}: Go's
 * {@code handler.ServeHTTP}. A snapshot as protobuf, {@code debug=N} as
 * text, {@code gc=1} for the heap after a full collection, and
 * {@code seconds=N} for the difference of two snapshots N seconds apart,
 * streamed ({@code serveDeltaProfile}).
 */
final class ProfileEndpoint implements Endpoint {

    private final NamedProfile profile;
    private final Renderings renderings;
    private final TimedProfileLimit limit;
    private final FrameTable frameTable;
    private final ProfileEncoder encoder;

    /** @param renderings shared by a handler's profiles: responses rendered in memory and being sent */
    ProfileEndpoint(NamedProfile profile, Renderings renderings, TimedProfileLimit limit, FrameTable frameTable,
            ProfileEncoder encoder) {
        this.profile = profile;
        this.renderings = renderings;
        this.limit = limit;
        this.frameTable = frameTable;
        this.encoder = encoder;
    }

    @Override
    public String name() {
        return profile.name();
    }

    @Override
    public String description() {
        return profile.description();
    }

    @Override
    public long count() {
        return profile.count();
    }

    @Override
    public Response respond(PprofExchange exchange) throws IOException, InterruptedException {
        RequestParameters parameters = RequestParameters.of(exchange);
        if (!parameters.get("seconds").isEmpty()) {
            return serveDelta(parameters);
        }
        return renderings.render(() -> render(parameters));
    }

    /** Go's {@code heap?gc=1}: the heap profile taken after a full collection, where asked for. */
    static NamedProfile collectingIfAsked(NamedProfile profile, RequestParameters parameters)
            throws InterruptedException {
        return parameters.getInt("gc") > 0 ? profile.afterFullCollection() : profile;
    }

    private Response render(RequestParameters parameters) throws IOException, InterruptedException {
        NamedProfile rendered = collectingIfAsked(profile, parameters);
        int debug = parameters.getInt("debug");
        if (debug != 0) {
            StringWriter text = new StringWriter();
            // Go serves negative debug levels as text too (for heap); treat them all as 1.
            rendered.writeText(Math.max(debug, 1), frameTable, new PrintWriter(text));
            return Response.text(text.toString());
        }
        return Response.attachment(rendered.name(), encoder.encode(rendered.snapshot()));
    }

    /** Go's {@code serveDeltaProfile}, with its checks in its order. */
    private Response serveDelta(RequestParameters parameters) throws IOException, InterruptedException {
        long seconds = parameters.getLong("seconds");
        if (seconds <= 0) {
            return Response.error(400, "invalid value for \"seconds\" - must be a positive integer");
        }
        if (!profile.supportsDelta()) {
            return Response.error(400, "\"seconds\" parameter is not supported for this profile type");
        }
        Response tooLong = limit.refuseDuration(seconds);
        if (tooLong != null) {
            return tooLong;
        }
        if (parameters.getInt("debug") != 0) {
            return Response.error(400, "seconds and debug params are incompatible");
        }
        if (!limit.tryStart()) {
            return limit.busy();
        }
        StackProfile before;
        // With gc=1, both ends after a full collection: otherwise the in-use figures of both are the heap of
        // whichever collection last ran, and a window without one shows no growth at all.
        NamedProfile measured;
        try {
            measured = collectingIfAsked(profile, parameters);
            // Taken before the status is sent, so that a profile JFR cannot give is a clean 503.
            before = measured.snapshot();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            limit.end();
            throw e;
        }
        // Taking a snapshot may itself take a moment; the window is measured from its time.
        long windowNanos = seconds * 1_000_000_000L;
        long endNanos = System.nanoTime() + before.timeNanos() + windowNanos - StackProfile.nowNanos();
        return Response.streamed(profile.name() + "-delta", new WindowedProfileBody(encoder, windowNanos, endNanos,
                pulse -> measured.snapshot().minus(before), limit::end));
    }
}
