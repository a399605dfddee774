package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.HttpTestClient;
import dev.pprof4j.testing.JdkHttpServer;
import dev.pprof4j.testing.RawProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route labels on {@code allocs}, {@code heap} and {@code goroutine}, read by
 * the real go tool pprof: one route keeps what it allocates, another
 * allocates four times as much of the same class and keeps none. Under each
 * route's {@code -tagfocus}, the kept objects are the first route's alone, as
 * the JVM's class histogram counts them, and each route's allocations are its
 * own. {@code goroutine} shows the labels each thread waits under, as Go's
 * {@code # labels:} line and as sample labels.
 */
class LabelledProfilesTest {

    private static final String CLASS = LabelledProfilesTest.class.getName();
    private static final String ORDERS = "/orders/{id}";
    private static final String USERS = "/users";
    private static final int KEPT = 600_000;
    /** The work of each route is done in this many requests, 50 ms apart. */
    private static final int REQUESTS = 20;
    private static final List<OrderLine> KEPT_LINES = new ArrayList<>();
    private static volatile Object sink;

    /** The objects both routes make. */
    private record OrderLine(long a, long b, long c, long d, long e, long f) {
    }

    private PprofHandler handler;
    private JdkHttpServer server;

    @BeforeEach
    void start() throws Exception {
        handler = new PprofHandler();
        server = new JdkHttpServer(handler);
    }

    @AfterEach
    void stop() {
        KEPT_LINES.clear();
        server.close();
        handler.close();
    }

    @Test
    void eachRoutesAllocationsAndKeptObjectsAreItsOwn() throws Exception {
        String mount = server.origin() + "/debug/pprof";
        assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(2);
        Thread orders = underRoute(ORDERS, () -> keepOrders(KEPT), parked, done);
        Thread users = underRoute(USERS, () -> churnUsers(4 * KEPT), parked, done);
        try {
            parked.await();
            // The truth, as the JVM counts it after a full collection: every live OrderLine is a kept one.
            long keptBytes = ClassHistogram.afterFullCollection().entries().stream()
                    .filter(entry -> entry.className().equals(OrderLine.class.getName()))
                    .mapToLong(ClassHistogram.Entry::bytes).sum();
            assertThat(keptBytes).isGreaterThanOrEqualTo(KEPT * 32L);
            RawProfile ordersHeap = focused(ORDERS, mount + "/heap?gc=1");
            RawProfile usersHeap = focused(USERS, mount + "/heap?gc=1");
            long inUseOrders = allocatedIn(ordersHeap, HeapData.INUSE_SPACE, CLASS + ".keepOrders");
            assertThat((double) inUseOrders / keptBytes).as("in-use under the keeping route / truth")
                    .isBetween(0.8, 1.2);
            assertThat(usersHeap.total(HeapData.INUSE_SPACE, CLASS + ".keepOrders")).isZero();
            assertThat(usersHeap.total(HeapData.INUSE_SPACE, CLASS + ".churnUsers"))
                    .as("in-use under the route that keeps nothing").isLessThan(keptBytes / 20);

            RawProfile ordersAllocs = focused(ORDERS, mount + "/allocs");
            RawProfile usersAllocs = focused(USERS, mount + "/allocs");
            System.out.printf("route labels: in-use under %s %.3f of truth; allocated under %s %.3f of truth%n", ORDERS,
                    (double) inUseOrders / keptBytes, USERS,
                    (double) usersAllocs.total(HeapData.ALLOC_SPACE, CLASS + ".churnUsers") / (4 * keptBytes));
            assertThat(ordersAllocs.total(HeapData.ALLOC_SPACE, CLASS + ".churnUsers")).isZero();
            assertThat(usersAllocs.total(HeapData.ALLOC_SPACE, CLASS + ".keepOrders")).isZero();
            assertThat((double) usersAllocs.total(HeapData.ALLOC_SPACE, CLASS + ".churnUsers") / (4 * keptBytes))
                    .as("allocated under the churning route / truth").isBetween(0.7, 1.3);
        } finally {
            done.countDown();
            orders.join();
            users.join();
        }
    }

    /** The values of samples allocated in {@code function} itself: the OrderLines, not the list's array. */
    private static long allocatedIn(RawProfile profile, int type, String function) {
        return profile.samples().stream().filter(sample -> sample.frames().get(0).startsWith(function + " "))
                .mapToLong(sample -> sample.values()[type]).sum();
    }

    @Test
    void goroutineShowsTheLabelsEachThreadWaitsUnder() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        CountDownLatch parked = new CountDownLatch(2);
        Thread orders = underRoute(ORDERS, () -> { }, parked, done);
        Thread users = underRoute(USERS, () -> { }, parked, done);
        try {
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

    private static RawProfile focused(String route, String url) throws Exception {
        GoPprof.Run run = GoPprof.run("-raw", "-tagfocus=http.route=" + route, url);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        return RawProfile.parse(run.stdout());
    }

    /** Runs {@code work} labelled as a request to {@code route}, then waits there, labelled, until {@code done}. */
    private static Thread underRoute(String route, Runnable work, CountDownLatch parked, CountDownLatch done) {
        Thread thread = new Thread(() -> {
            try (PprofLabels.Scope ignored = RouteLabels.open("GET", route)) {
                work.run();
                parked.countDown();
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "request " + route);
        thread.start();
        return thread;
    }

    /**
     * Keeps {@code lines} objects, as requests do: a share at a time over about a second. A single burst
     * shorter than one of JFR's 200 ms throttle windows, begun after another thread spent the window's
     * samples, would not be sampled at all (docs/heap-profiling.md).
     */
    private static void keepOrders(int lines) {
        for (int request = 0; request < REQUESTS; request++) {
            for (int i = 0; i < lines / REQUESTS; i++) {
                KEPT_LINES.add(new OrderLine(i, i, i, i, i, i));
            }
            pause();
        }
    }

    private static void churnUsers(int lines) {
        for (int request = 0; request < REQUESTS; request++) {
            for (int i = 0; i < lines / REQUESTS; i++) {
                sink = new OrderLine(i, i, i, i, i, i);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
