package dev.pprof4j.javalin;

import static dev.pprof4j.testing.ProfilingState.ALLOCATION_EVENTS;
import static dev.pprof4j.testing.ProfilingState.CPU_EVENTS;
import static dev.pprof4j.testing.ProfilingState.anyEnabled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pprof4j.PprofLabels;
import dev.pprof4j.PprofOptions;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.RouteLabelContract;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin in a real Javalin: its path, its lifetime, and Javalin's own response handling kept out. */
class JavalinPluginTest {

    private Javalin app;

    private String start(Consumer<JavalinConfig> config) {
        app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            config.accept(javalin);
        }).start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void thePathIsConfigurable() throws Exception {
        String origin = start(config -> config.registerPlugin(new PprofPlugin(pprof -> pprof.path = "admin/pprof/")));
        HttpTestClient.Reply index = HttpTestClient.get(origin + "/admin/pprof/");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.text()).contains("go tool pprof " + origin + "/admin/pprof/heap\n");
        HttpTestClient.Reply redirect = HttpTestClient.get(origin + "/admin/pprof?debug=1");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/admin/pprof/?debug=1");
        assertThat(HttpTestClient.get(origin + "/debug/pprof/").status()).isEqualTo(404);

        GoPprof.Run top = GoPprof.run("-top", origin + "/admin/pprof/goroutine");
        assertThat(top.exitCode()).as(top.stderr()).isZero();
        assertThat(top.stdout()).contains("Type: goroutine");
    }

    @Test
    void goToolPprofCutsCpuAndAllocationsByTheMatchedPath() throws Exception {
        String origin = start(config -> {
            config.registerPlugin(new PprofPlugin());
            config.routes.get(RouteLabelContract.ROUTE, ctx -> ctx.result(RouteLabelContract.order(ctx.pathParam("id"))));
        });
        RouteLabelContract.check(origin + "/debug/pprof", origin + "/orders/42");
    }

    @Test
    void routeLabelsKeepTheApplicationsOwnWrapperAndCanBeTurnedOff() throws Exception {
        List<String> wrapped = new CopyOnWriteArrayList<>();
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        String origin = start(config -> {
            config.router.handlerWrapper(endpoint -> ctx -> {
                wrapped.add(endpoint.path);
                endpoint.handler.handle(ctx);
            });
            config.registerPlugin(new PprofPlugin());
            config.routes.post("/users/{name}", ctx -> seen.add(PprofLabels.current()));
        });
        assertThat(send(HttpRequest.newBuilder(URI.create(origin + "/users/ann"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
        assertThat(wrapped).contains("/users/{name}");
        assertThat(seen).containsExactly(Map.of("http.route", "/users/{name}", "http.request.method", "POST"));
        app.stop();

        seen.clear();
        String unlabelled = start(config -> {
            config.registerPlugin(new PprofPlugin(pprof -> pprof.options = PprofOptions.builder()
                    .routeLabels(false).build()));
            config.routes.post("/users/{name}", ctx -> seen.add(PprofLabels.current()));
        });
        assertThat(send(HttpRequest.newBuilder(URI.create(unlabelled + "/users/ann"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly(Map.of());
    }

    @Test
    void theRoutesCarryTheirRolesToTheApplicationsAccessCheck() throws Exception {
        RouteRole operator = new RouteRole() { };
        String mount = start(config -> {
            config.registerPlugin(new PprofPlugin(pprof -> pprof.roles = new RouteRole[] {operator}));
            config.routes.beforeMatched(ctx -> {
                if (ctx.routeRoles().contains(operator) && ctx.header("X-Operator") == null) {
                    throw new UnauthorizedResponse();
                }
            });
        }) + "/debug/pprof";
        assertThat(HttpTestClient.get(mount + "/cmdline").status()).isEqualTo(401);
        assertThat(send(HttpRequest.newBuilder(URI.create(mount + "/cmdline")).header("X-Operator", "me"))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void theOptionsDecideWhomToAnswer() throws Exception {
        String index = start(config -> config.registerPlugin(new PprofPlugin(pprof -> pprof.options = PprofOptions
                .builder().trustedProxies("127.0.0.1").allowedAddresses("203.0.113.0/24").build())))
                + "/debug/pprof/";
        assertThat(HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9").status()).isEqualTo(200);
        HttpTestClient.Reply outsider = HttpTestClient.getFrom("127.0.0.1", index, "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-For: 198.51.100.7");
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.text()).contains("for 198.51.100.7 (X-Forwarded-For)");
        assertThat(HttpTestClient.getFrom("127.0.0.6", index).text()).contains("came from 127.0.0.6,");
        assertThat(HttpTestClient.getFrom("127.0.0.1", index).status()).as("a trusted proxy naming no client")
                .isEqualTo(403);
    }

    @Test
    void theRootIsNoMountPoint() {
        assertThatThrownBy(() -> Javalin.create(config -> config.registerPlugin(new PprofPlugin(pprof -> pprof.path = "/"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void javalinsResponseHandlingStaysOut() throws Exception {
        String mount = start(config -> {
            config.registerPlugin(new PprofPlugin());
            config.routes.error(404, ctx -> ctx.result("the application's own 404 page"));
        }) + "/debug/pprof";
        HttpResponse<byte[]> cmdline = send(HttpRequest.newBuilder(URI.create(mount + "/cmdline"))
                .header("Accept-Encoding", "gzip, br, zstd"));
        assertThat(cmdline.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(cmdline.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type.replace(" ", "").toLowerCase()).isEqualTo("text/plain;charset=utf-8"));
        assertThat(new String(cmdline.body())).contains("\0");

        // Go's redirect of a POST has no body and no type; Javalin's default type stays off it.
        HttpResponse<byte[]> post = send(HttpRequest.newBuilder(URI.create(mount))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(301);
        assertThat(post.headers().firstValue("Content-Type")).isEmpty();
        assertThat(post.body()).isEmpty();

        HttpTestClient.Reply unknown = HttpTestClient.get(mount + "/nosuch");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.text()).isEqualTo("Unknown profile\n");
    }

    @Test
    void stoppingTheServerEndsSamplingAndTheProfilesUnderWay() throws Exception {
        String mount = start(config -> config.registerPlugin(new PprofPlugin())) + "/debug/pprof";
        // Sampling starts on pprof4j's own thread, beside the server's start.
        long started = System.nanoTime() + 10_000_000_000L;
        while (!anyEnabled(ALLOCATION_EVENTS) && System.nanoTime() < started) {
            Thread.sleep(20);
        }
        assertThat(anyEnabled(ALLOCATION_EVENTS)).isTrue();
        CompletableFuture<Void> profile = CompletableFuture.runAsync(() -> {
            try {
                HttpTestClient.get(mount + "/profile?seconds=30");
            } catch (Exception e) {
                // Cut off by the stop: what is checked is that it ends.
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!anyEnabled(CPU_EVENTS) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(anyEnabled(CPU_EVENTS)).isTrue();

        long start = System.nanoTime();
        app.stop();
        profile.get();
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
        assertThat(anyEnabled(ALLOCATION_EVENTS)).isFalse();
        assertThat(anyEnabled(CPU_EVENTS)).isFalse();
    }

    /**
     * The plugin closes its handler when the server stops and makes it when
     * the plugin starts: right only because a stopped Javalin cannot start
     * again. Should Javalin ever allow it, the plugin must reopen its handler.
     */
    @Test
    void aStoppedServerCannotStartAgain() throws Exception {
        start(config -> config.registerPlugin(new PprofPlugin()));
        app.stop();
        assertThatThrownBy(() -> app.start("127.0.0.1", 0)).hasMessageContaining("cannot be reused");
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
