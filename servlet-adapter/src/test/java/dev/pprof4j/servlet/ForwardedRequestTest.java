package dev.pprof4j.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.HttpTestClient;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A container that replaces the client's address with one from a header
 * (Jetty's {@code ForwardedRequestCustomizer}, as Spring Boot's
 * {@code server.forward-headers-strategy=native} sets up on Jetty): the
 * servlet sees the forged address, and the header that produced it.
 */
class ForwardedRequestTest {

    private Server server;

    private String start(PprofOptions options) throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new ForwardedRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new PprofServlet(options)), "/debug/pprof/*");
        server.setHandler(context);
        server.start();
        return "http://127.0.0.1:" + connector.getLocalPort() + "/debug/pprof/";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aRemoteClientThatClaimsToBeLocalIsNot() throws Exception {
        String index = start(PprofOptions.defaults());
        assertThat(HttpTestClient.getFrom("127.0.0.1", index).status()).isEqualTo(200);
        assertThat(HttpTestClient.getFrom("127.0.0.6", index).text()).contains("came from 127.0.0.6,");

        HttpTestClient.Reply forged = HttpTestClient.getFrom("127.0.0.6", index, "X-Forwarded-For: 127.0.0.1");
        assertThat(forged.status()).isEqualTo(403);
        // Jetty reports the header's address as the client's; the header itself gives the forgery away.
        assertThat(forged.text()).contains("came from 127.0.0.1 with X-Forwarded-For",
                "a relayed request is not local");
        assertThat(HttpTestClient.getFrom("127.0.0.6", index, "Forwarded: for=127.0.0.1").status()).isEqualTo(403);
    }

    @Test
    void behindAProxyEveryAddressTheHeaderNamesMustBeAllowed() throws Exception {
        String index = start(PprofOptions.builder().trustedProxies("127.0.0.1").allowedAddresses("203.0.113.9")
                .build());
        assertThat(HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9").status())
                .isEqualTo(200);
        for (String chain : new String[] {"203.0.113.9, 198.51.100.7", "198.51.100.7, 203.0.113.9"}) {
            HttpTestClient.Reply refused = HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: " + chain);
            assertThat(refused.status()).as(chain).isEqualTo(403);
            assertThat(refused.text()).as(chain).contains("198.51.100.7");
        }
    }
}
