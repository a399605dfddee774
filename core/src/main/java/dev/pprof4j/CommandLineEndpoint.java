package dev.pprof4j;

/** {@code /debug/pprof/cmdline}: Go's {@code Cmdline}, the arguments NUL-separated, secrets redacted. */
final class CommandLineEndpoint implements Endpoint {

    @Override
    public String name() {
        return "cmdline";
    }

    @Override
    public Response respond(PprofExchange exchange) {
        return Response.text(String.join("\0", CommandLine.current()));
    }
}
