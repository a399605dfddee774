package dev.pprof4j;

import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.PprofContract;

/** The pprof contract over the JDK's own HTTP server: the handler alone, no framework. */
class JdkHttpServerContractTest extends PprofContract {

    private JdkHttpServer server;

    @Override
    protected String start(PprofOptions options) throws Exception {
        server = new JdkHttpServer(new PprofHandler(options));
        return server.origin() + "/debug/pprof";
    }

    @Override
    protected void stop() {
        server.close();
    }
}
