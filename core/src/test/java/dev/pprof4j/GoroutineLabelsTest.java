package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * {@code goroutine} shows each thread's labels as Go's does: a {@code # labels:}
 * line in {@code debug=1}, sample labels in the protobuf form that
 * {@code go tool pprof -tags} and {@code -tagfocus} read.
 */
class GoroutineLabelsTest {

    private static final String ORDERS = "/orders/{id}";
    private static final String USERS = "/users";

    @Test
    void eachThreadShowsTheLabelsItWaitsUnder() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(2);
        Thread orders = waitUnderRoute(ORDERS, parked, done);
        Thread users = waitUnderRoute(USERS, parked, done);
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            parked.await();
            String mount = server.origin() + "/debug/pprof";
            assertThat(HttpTestClient.get(mount + "/goroutine?debug=1").text()).contains(
                    "# labels: {\"http.request.method\":\"GET\", \"http.route\":\"/orders/{id}\"}",
                    "# labels: {\"http.request.method\":\"GET\", \"http.route\":\"/users\"}");
            GoPprof.Run tags = GoPprof.run("-tags", mount + "/goroutine");
            assertThat(tags.exitCode()).as(tags.stderr()).isZero();
            assertThat(tags.stdout()).contains("http.route", ORDERS, USERS);
            GoPprof.Run focused = GoPprof.run("-top", "-tagfocus=http.route=" + ORDERS, mount + "/goroutine");
            assertThat(focused.stdout()).contains("Showing nodes accounting for 1, ");
        } finally {
            done.countDown();
            orders.join();
            users.join();
        }
    }

    private static Thread waitUnderRoute(String route, CountDownLatch parked, CountDownLatch done) {
        Thread thread = new Thread(() -> {
            try (PprofLabels.Scope ignored = RouteLabels.open("GET", route)) {
                parked.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "request " + route);
        thread.start();
        return thread;
    }
}
