package dev.pprof4j.javalin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.AsyncProfileContract;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

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

    /**
     * Jetty fails a write that starts after more than its idle timeout of
     * silence: without the plugin lifting it, most of these CPU profiles,
     * whose writes come a second apart, arrived cut off.
     */
    @Test
    void profilesLongerThanTheIdleTimeoutArriveWhole() throws Exception {
        String mount = "http://127.0.0.1:" + start(PprofOptions.defaults(), 1_000) + "/debug/pprof";
        for (int i = 0; i < 4; i++) {
            HttpTestClient.Reply cpu = HttpTestClient.get(mount + "/profile?seconds=2");
            GoPprof.Run raw = GoPprof.run("-raw", GoPprof.save(cpu.body(), "profile.pb.gz").toString());
            assertThat(raw.exitCode()).as(raw.stderr()).isZero();
            assertThat(raw.stdout()).containsPattern("Duration: 2\\.\\d\\d");
        }
        GoPprof.Run delta = GoPprof.run("-raw", GoPprof.save(
                HttpTestClient.get(mount + "/goroutine?seconds=2").body(), "goroutine.pb.gz").toString());
        assertThat(delta.exitCode()).as(delta.stderr()).isZero();
        HttpTestClient.Reply trace = HttpTestClient.get(mount + "/trace?seconds=2");
        assertThat(new String(trace.body(), 0, 3, StandardCharsets.US_ASCII)).isEqualTo("FLR");
    }
}
