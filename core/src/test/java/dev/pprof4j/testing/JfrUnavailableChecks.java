package dev.pprof4j.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * What a server whose JVM has no JDK Flight Recorder must answer: every form
 * of JFR's profiles a 503 that says why, everything else as usual. Shared by
 * the adapters' servers, which each run it in a child JVM started with
 * {@code -XX:-FlightRecorder}.
 */
public final class JfrUnavailableChecks {

    /** Every form of the profiles that need JFR. */
    public static final List<String> JFR_REQUESTS = List.of("heap", "heap?debug=1", "heap?gc=1", "heap?seconds=1",
            "allocs", "allocs?debug=1", "allocs?seconds=1", "threadcreate", "threadcreate?debug=1",
            "threadcreate?seconds=1", "mutex", "mutex?debug=1", "mutex?seconds=1", "block", "block?debug=1",
            "block?seconds=1", "delta_heap", "delta_heap?gc=1", "delta_mutex", "delta_block", "trace",
            "trace?seconds=0.5", "profile?seconds=1");
    /** The reason a 503 must give, in some words. */
    public static final String REASON = "Flight Recorder";

    private JfrUnavailableChecks() {
    }

    /** One request and what was wrong with its answer ({@code null} if nothing). */
    public record Result(String request, int status, String problem) {
        public boolean passed() {
            return problem == null;
        }
    }

    /** Sends every check's request to {@code mount} ({@code http://host:port/debug/pprof}). */
    public static List<Result> run(String mount) throws Exception {
        List<Result> results = new ArrayList<>();
        for (String request : JFR_REQUESTS) {
            HttpTestClient.Reply reply = HttpTestClient.get(mount + "/" + request);
            String problem = null;
            if (reply.status() != 503) {
                problem = "status " + reply.status() + ", not 503";
            } else if (!reply.text().contains(REASON)) {
                problem = "the 503 does not say why: " + reply.text().strip();
            } else if (!InternalDetail.in(reply.text()).isEmpty()) {
                problem = "the 503 reveals " + InternalDetail.in(reply.text());
            }
            results.add(new Result(request, reply.status(), problem));
        }
        results.add(expect(HttpTestClient.get(mount + "/"), "", "heap?debug=1"));
        results.add(expect(HttpTestClient.get(mount + "/cmdline"), "cmdline", "java"));
        results.add(expect(HttpTestClient.get(mount + "/goroutine"), "goroutine", ""));
        results.add(expect(HttpTestClient.get(mount + "/goroutine?debug=1"), "goroutine?debug=1",
                "goroutine profile: total "));
        results.add(expect(HttpTestClient.get(mount + "/goroutine?debug=2"), "goroutine?debug=2", "\"main\" #"));
        results.add(expect(HttpTestClient.get(mount + "/goroutine?seconds=1"), "goroutine?seconds=1", ""));
        results.add(expect(HttpTestClient.get(mount + "/symbol"), "symbol", "num_symbols: 1"));
        results.add(expect(HttpTestClient.post(mount + "/symbol", "text/plain", "0x1+0x2"), "POST symbol",
                "num_symbols: 1"));
        return results;
    }

    private static Result expect(HttpTestClient.Reply reply, String request, String text) {
        String problem = reply.status() != 200 ? "status " + reply.status() + ", not 200"
                : !reply.text().contains(text) ? "the answer lacks \"" + text + "\"" : null;
        return new Result(request, reply.status(), problem);
    }
}
