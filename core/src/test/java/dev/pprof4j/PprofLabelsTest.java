package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PprofLabelsTest {

    @Test
    void scopesNestAndRestore() throws Exception {
        assertThat(PprofLabels.current()).isEmpty();
        PprofLabels.run(Map.of("route", "/a", "tenant", "t1"), () -> {
            assertThat(PprofLabels.current()).containsExactlyInAnyOrderEntriesOf(Map.of("route", "/a", "tenant", "t1"));
            String inner = call(Map.of("route", "/b"));
            assertThat(inner).isEqualTo("{route=/b, tenant=t1}");
            assertThat(PprofLabels.current()).containsEntry("route", "/a");
        });
        assertThat(PprofLabels.current()).isEmpty();
    }

    @Test
    void aThreadCarriesAtMostAHundredLabelsTheFirstByKey() {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            many.put(String.format("k%03d", i), "v");
        }
        PprofLabels.run(many, () -> assertThat(PprofLabels.current()).hasSize(PprofLabels.MAX_LABELS)
                .containsKeys("k000", "k099").doesNotContainKey("k100"));
        assertThat(PprofLabels.current()).isEmpty();
    }

    @Test
    void whileRecordingEachMomentKeepsItsLabels() throws Exception {
        long thread = Thread.currentThread().getId();
        PprofLabels.startRecording();
        try {
            long before = StackProfile.nowNanos();
            long[] inside = new long[1];
            PprofLabels.run(Map.of("route", "/a"), () -> {
                inside[0] = StackProfile.nowNanos();
                waitAMoment();
            });
            waitAMoment();
            long after = StackProfile.nowNanos();
            assertThat(PprofLabels.of(thread, before)).isEmpty();
            assertThat(PprofLabels.of(thread, inside[0])).isEqualTo(Map.of("route", "/a"));
            assertThat(PprofLabels.of(thread, after)).isEmpty();
        } finally {
            PprofLabels.stopRecording();
        }
        assertThat(PprofLabels.of(thread, StackProfile.nowNanos())).isEmpty();
    }

    @Test
    void threadsThatLeftTheirScopesAreSweptWhileRecording() throws Exception {
        PprofLabels.startRecording();
        try {
            int before = PprofLabels.threadsKept();
            for (int i = 0; i < 100; i++) {
                Thread request = new Thread(() -> PprofLabels.run(Map.of("request", "r"), () -> { }));
                request.start();
                request.join();
            }
            // Kept while a sample of theirs may still be on its way...
            assertThat(PprofLabels.threadsKept()).isEqualTo(before + 100);
            // ...and dropped once that time has passed.
            PprofLabels.sweep(StackProfile.nowNanos() + 1);
            assertThat(PprofLabels.threadsKept()).isLessThanOrEqualTo(before);
        } finally {
            PprofLabels.stopRecording();
        }
    }

    @Test
    void aScopeClosedGoesBackToWhatItReplacedOnceAndLeavesScopesLeftOpenInside() {
        PprofLabels.Scope request = RouteLabels.open("GET", "/orders/{id}");
        PprofLabels.Scope inner = PprofLabels.open(Map.of("tenant", "t1"));
        assertThat(PprofLabels.current()).isEqualTo(Map.of(RouteLabels.METHOD, "GET",
                RouteLabels.ROUTE, "/orders/{id}", "tenant", "t1"));
        request.close();
        assertThat(PprofLabels.current()).isEmpty();
        inner.close();
        request.close();
        assertThat(PprofLabels.current()).isEmpty();
        PprofLabels.run(Map.of("route", "/next"), () -> assertThat(PprofLabels.current()).isEqualTo(Map.of("route", "/next")));
    }

    @Test
    void aScopeClosedOnAnotherThreadEndsTheOwnersLabels() throws Exception {
        PprofLabels.Scope request = RouteLabels.open("POST", "/orders");
        long owner = Thread.currentThread().getId();
        assertThat(PprofLabels.of(owner)).containsEntry(RouteLabels.ROUTE, "/orders");
        Thread other = new Thread(request::close);
        other.start();
        other.join();
        assertThat(PprofLabels.current()).isEmpty();
        assertThat(PprofLabels.of(owner)).isEmpty();
    }

    @Test
    void closingAScopeAgainLeavesTheScopesOpenedSinceAlone() {
        PprofLabels.Scope first = PprofLabels.open(Map.of("a", "1"));
        first.close();
        PprofLabels.Scope second = PprofLabels.open(Map.of("b", "2"));
        first.close();
        assertThat(PprofLabels.current()).isEqualTo(Map.of("b", "2"));
        second.close();
        assertThat(PprofLabels.current()).isEmpty();
    }

    @Test
    void aThreadThatEndedInsideAScopeIsSweptOnceItsHistoryExpires() throws Exception {
        PprofLabels.startRecording();
        try {
            int before = PprofLabels.threadsKept();
            Thread abandoned = new Thread(() -> PprofLabels.open(Map.of("request", "never closed")));
            abandoned.start();
            abandoned.join();
            assertThat(PprofLabels.threadsKept()).isEqualTo(before + 1);
            PprofLabels.sweep(StackProfile.nowNanos() + 1);
            assertThat(PprofLabels.threadsKept()).isLessThanOrEqualTo(before);
        } finally {
            PprofLabels.stopRecording();
        }
    }

    @Test
    void routeLabelsAreFewMethodsOutsideHttpsOwnAreOther() {
        assertThat(RouteLabels.of("GET", "/orders/{id}")).isEqualTo(Map.of("http.request.method", "GET",
                "http.route", "/orders/{id}"));
        assertThat(RouteLabels.of("PROPFIND", "/dav")).containsEntry("http.request.method", "_OTHER");
        assertThat(RouteLabels.of("get", null)).isEqualTo(Map.of("http.request.method", "_OTHER"));
    }

    @Test
    void theHistoryKeepsItsNewestChangesAndAnOlderMomentGetsTheOldestSetKnown() {
        Labelled labelled = new Labelled(Thread.currentThread());
        int changes = Labelled.MAX_CHANGES + 1000;
        long[] times = new long[changes];
        for (int i = 0; i < changes; i++) {
            labelled.enter(Map.of("n", Integer.toString(i)), true);
            times[i] = StackProfile.nowNanos();
            while (StackProfile.nowNanos() == times[i]) {
                Thread.onSpinWait();
            }
        }
        assertThat(labelled.at(times[changes - 1])).isEqualTo(Map.of("n", Integer.toString(changes - 1)));
        int kept = changes - Labelled.MAX_CHANGES;
        assertThat(labelled.at(times[kept + 10])).isEqualTo(Map.of("n", Integer.toString(kept + 10)));
        // Before the oldest change kept: the set that change replaced.
        assertThat(labelled.at(0)).isEqualTo(Map.of("n", Integer.toString(kept - 1)));
    }

    private static String call(Map<String, String> labels) {
        try {
            return PprofLabels.call(labels, () -> new java.util.TreeMap<>(PprofLabels.current()).toString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void waitAMoment() {
        long end = System.nanoTime() + 2_000_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
