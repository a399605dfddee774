package dev.pprof4j.javalin;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.AsyncProfileContract;
import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/** Long profiles through Javalin's futures on its real Jetty: no Jetty thread held, a lost client ends the profile. */
class JavalinAsyncProfileTest extends AsyncProfileContract {

    private Javalin app;

    @Override
    protected int start(PprofOptions options, int idleTimeoutMillis) {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost("127.0.0.1");
                connector.setPort(0);
                connector.setIdleTimeout(idleTimeoutMillis);
                return connector;
            });
            config.registerPlugin(new PprofPlugin(pprof -> pprof.options = options));
        }).start();
        return app.port();
    }

    @Override
    protected void stop() {
        app.stop();
    }
}
