package dev.pprof4j.javalin;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.PprofContract;
import io.javalin.Javalin;

/**
 * The whole pprof contract, served by {@link PprofPlugin} in a real Javalin 7
 * (Jetty 12) under a context path, read over HTTP and by go tool pprof.
 */
class JavalinContractTest extends PprofContract {

    private Javalin app;

    @Override
    protected String start(PprofOptions options) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.router.contextPath = "/app";
            config.registerPlugin(new PprofPlugin(pprof -> pprof.options = options));
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port() + "/app/debug/pprof";
    }

    @Override
    protected void stop() {
        app.stop();
    }
}
