package dev.pprof4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pprof4j.testing.Chromium;
import dev.pprof4j.testing.GoPprof;
import dev.pprof4j.testing.JdkHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The viewer in a real headless Chromium: its script decodes a profile Go's
 * own server wrote ({@code go-captures/heap.pb.gz}) and draws what
 * {@code go tool pprof -top} shows for it; on a leaking application it finds
 * the leaking method, the line the real client finds, and the line's growth.
 */
class ViewerTest {

    private static final String CLASS = ViewerTest.class.getName();
    private static final List<byte[]> LISTENERS = Collections.synchronizedList(new ArrayList<>());

    private static final String UNAVAILABLE = "JDK Flight Recorder is not available in this JVM";
    private static final Pattern ROW = Pattern.compile("<tr[^>]*>((?:<td>[^<]*</td>)+)</tr>");
    private static final Pattern CELL = Pattern.compile("<td>([^<]*)</td>");

    @Test
    void drawsAProfileOfGosOwnServerAsGoToolPprofReadsIt() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/debug/pprof/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/debug/pprof/".length());
            if (path.isEmpty()) {
                send(exchange, 200, "text/html", "<a href='heap?debug=1'>heap</a><a href='mutex?debug=1'>mutex</a>"
                        .getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("mutex")) {
                send(exchange, 503, "text/plain", UNAVAILABLE.getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("heap")) {
                send(exchange, 200, "application/octet-stream", resource("/go-captures/heap.pb.gz"));
            } else if (path.startsWith("ui/")) {
                String file = path.substring(3);
                send(exchange, 200, file.endsWith(".js") ? "text/javascript" : file.endsWith(".css") ? "text/css"
                        : "text/html", resource("/dev/pprof4j/ui/" + (file.isEmpty() ? "index.html" : file)));
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        });
        server.start();
        try {
            String ui = "http://127.0.0.1:" + server.getAddress().getPort() + "/debug/pprof/ui/";
            String dom = Chromium.dom(ui + "?profile=heap&sample=inuse_space&view=top");
            assertThat(dom).contains("data-state=\"ready\"");
            List<List<String>> top = topRows(dom);
            // go tool pprof -top -sample_index=inuse_space heap.pb.gz: 51.06MB 94.17% main.rememberSession
            assertThat(top.get(0)).containsExactly("51.06MB", "94.17%", "94.17%", "51.06MB", "94.17%",
                    "main.rememberSession");
            assertThat(Chromium.dom(ui + "?profile=heap&sample=inuse_space")).contains("class=\"frame java\"",
                    ">main.growRetained<");

            String focused = Chromium.dom(ui + "?profile=heap&sample=inuse_space&view=top&focus=churn");
            assertThat(topRows(focused).get(0)).contains("main.churn");
            assertThat(topRows(focused)).noneMatch(row -> row.contains("main.rememberSession"));

            String invalid = Chromium.dom(ui + "?profile=heap&focus=%28unclosed");
            assertThat(invalid).contains("focus: Invalid regular expression");

            // A profile the server cannot give: its answer, said in the page, which stays usable.
            String unavailable = Chromium.dom(ui + "?profile=mutex");
            assertThat(unavailable).contains("data-state=\"error\"", "mutex: 503", UNAVAILABLE)
                    .contains("<option value=\"heap\">heap</option>");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void findsALeakTheLineItLeaksOnAndItsGrowth() throws Exception {
        try (PprofHandler handler = new PprofHandler(); JdkHttpServer server = new JdkHttpServer(handler)) {
            assertThat(handler.awaitSampling(Duration.ofSeconds(10))).isTrue();
            leak(48);
            String mount = server.origin() + "/debug/pprof";
            String ui = mount + "/ui/?profile=heap&sample=inuse_space";

            String flame = Chromium.dom(ui);
            assertThat(flame).contains("data-state=\"ready\"", ">" + CLASS + ".rememberListener<");

            // The line, as the real client reads it from the same endpoint.
            GoPprof.Run lines = GoPprof.run("-top", "-lines", "-sample_index=inuse_space", mount + "/heap?gc=1");
            String leakingLine = lines.firstTopRow().replaceAll(".*(" + Pattern.quote(CLASS) + "\\.rememberListener) "
                    + "\\S*/(ViewerTest\\.java:\\d+).*", "$1 $2");
            assertThat(leakingLine).startsWith(CLASS + ".rememberListener ViewerTest.java:");
            List<List<String>> byLine = topRows(Chromium.dom(ui + "&lines=1&view=top"));
            assertThat(byLine.get(0).get(5)).isEqualTo(leakingLine);

            List<List<String>> focused = topRows(Chromium.dom(ui + "&view=top&focus=rememberListener"));
            assertThat(focused).isNotEmpty().allMatch(row -> !row.get(5).startsWith("[not sampled]"));
            assertThat(focused.size()).isLessThan(topRows(Chromium.dom(ui + "&view=top")).size());

            // Leaking on while the page watches the heap grow, whenever its window begins.
            AtomicBoolean watched = new AtomicBoolean(true);
            Thread stillLeaking = new Thread(() -> {
                while (watched.get()) {
                    leak(2);
                }
            }, "still leaking");
            stillLeaking.start();
            String growth;
            try {
                growth = Chromium.dom(ui + "&lines=1&growth=8");
            } finally {
                watched.set(false);
                stillLeaking.join();
            }
            assertThat(growth).contains("data-growth=\"ready\"");
            String growthSection = growth.substring(growth.indexOf("<section id=\"growthView\""));
            assertThat(growthRows(growth)).as(growthSection.substring(0, Math.min(3000, growthSection.length())))
                    .isNotEmpty();
            assertThat(growthRows(growth).get(0).get(4)).isEqualTo(leakingLine);
        } finally {
            LISTENERS.clear();
        }
    }

    /** Keeps {@code megabytes} of listeners, a share at a time, as requests would. */
    private static void leak(int megabytes) {
        for (int request = 0; request < 20; request++) {
            for (int i = 0; i < megabytes * 1024 / 20; i++) {
                rememberListener();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void rememberListener() {
        LISTENERS.add(new byte[1000]);
    }

    static List<List<String>> growthRows(String dom) {
        return rows(dom, "growthTop");
    }

    static List<List<String>> topRows(String dom) {
        return rows(dom, "top");
    }

    /** A table's rows, each as its cells' text. */
    private static List<List<String>> rows(String dom, String id) {
        String table = dom.substring(dom.indexOf("<table id=\"" + id + "\">"));
        table = table.substring(0, table.indexOf("</table>"));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = CELL.matcher(row.group(1));
            while (cell.find()) {
                cells.add(cell.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
            }
            rows.add(cells);
        }
        return rows;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ViewerTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
