package dev.pprof4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an adapter's route labels must show through the real {@code go tool pprof}:
 * an application's {@code /orders/{id}} endpoint, which does {@link #order}'s
 * work and nothing else, is found under {@code -tagfocus=http.route=/orders/{id}}
 * in {@code profile} (its CPU) and {@code allocs} (its allocations), and not
 * under another route's focus; {@code -tags} names the route and method.
 */
public final class RouteLabelContract {

    public static final String ROUTE = "/orders/{id}";
    private static volatile Object sink;

    private RouteLabelContract() {
    }

    /** The endpoint's work: CPU in {@link #priceOrder}, garbage in {@link #orderLines}. */
    public static String order(String id) {
        List<byte[]> lines = orderLines();
        sink = lines;
        return id + ":" + priceOrder(id) + ":" + lines.size();
    }

    private static long priceOrder(String id) {
        long end = System.nanoTime() + 2_000_000;
        long price = id.hashCode();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) {
                price = price * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return price;
    }

    private static List<byte[]> orderLines() {
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            lines.add(new byte[4096]);
        }
        return lines;
    }

    /**
     * Asserts the labels, with {@code ordersUrl} (a concrete order, {@code …/orders/42}) under load, read
     * from the pprof mount point {@code mount}.
     */
    public static void check(String mount, String ordersUrl) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger answered = new AtomicInteger();
        Thread load = new Thread(() -> {
            HttpClient client = HttpClient.newHttpClient();
            while (!stop.get()) {
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(ordersUrl)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    answered.incrementAndGet();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        }, "orders-load");
        load.start();
        try {
            String focus = "-tagfocus=http.route=" + ROUTE;
            GoPprof.Run cpu = GoPprof.run("-top", focus, mount + "/profile?seconds=3");
            assertThat(cpu.exitCode()).as(cpu.stderr()).isZero();
            assertThat(cpu.stdout()).contains("RouteLabelContract.priceOrder");
            GoPprof.Run allocs = GoPprof.run("-top", focus, mount + "/allocs");
            assertThat(allocs.exitCode()).as(allocs.stderr()).isZero();
            assertThat(allocs.stdout()).contains("RouteLabelContract.orderLines");
            GoPprof.Run otherRoute = GoPprof.run("-top", "-tagfocus=http.route=/users", mount + "/allocs");
            assertThat(otherRoute.stdout()).doesNotContain("RouteLabelContract.orderLines");
            GoPprof.Run tags = GoPprof.run("-tags", mount + "/allocs");
            assertThat(tags.exitCode()).as(tags.stderr()).isZero();
            assertThat(tags.stdout()).contains("http.route", ROUTE, "http.request.method", "GET");
        } finally {
            stop.set(true);
            load.join();
        }
        assertThat(answered.get()).isPositive();
    }
}
