package dev.pprof4j;

import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.PprofContract;

/** The pprof contract over the JDK's own HTTP server: the handler alone, no framework. */
class JdkHttpServerContractTest extends PprofContract {

    private PprofHandler handler;
    private JdkHttpServer server;

    @Override
    protected String start(PprofOptions options) throws Exception {
        handler = new PprofHandler(options);
        server = new JdkHttpServer(handler);
        return server.origin() + "/debug/pprof";
    }

    @Override
    protected void stop() {
        server.close();
        handler.close();
    }
}
