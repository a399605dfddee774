package dev.pprof4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the viewer ({@code /debug/pprof/ui/}) costs to draw a heap profile at
 * pprof4j's default cap of 4,096 stacks: a profile of that many distinct
 * stacks, 20 to 60 frames deep over 2,000 methods, is served beside the
 * viewer's files, and headless Chromium opens the viewer on it, in its flame
 * graph and in its top table by line. Reports the profile's size on the
 * wire and the browser's whole run (start, fetch, decode, draw: headless
 * Chromium's virtual clock stops while scripts run, so the page cannot time
 * itself); a run on a profile of one stack is the baseline of start and
 * fetch.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.pprof4j.ViewerRenderCost [runs [stacks]]
 * </pre>
 */
public final class ViewerRenderCost {

    private static final Pattern FRAMES = Pattern.compile("id=\"flame\"[^>]*data-frames=\"(\\d+)\"");

    private ViewerRenderCost() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int stacks = args.length > 1 ? Integer.parseInt(args[1]) : 4096;
        byte[] profile = new ProfileEncoder(new FrameTable(1 << 17), "bench").encode(heapProfile(stacks));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/debug/pprof/", exchange -> {
            String path = exchange.getRequestURI().getPath().substring("/debug/pprof/".length());
            if (path.isEmpty()) {
                send(exchange, "<a href='heap?debug=1'>heap</a>".getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("heap")) {
                send(exchange, profile);
            } else {
                String file = path.substring("ui/".length());
                try (InputStream in = ViewerRenderCost.class.getResourceAsStream("/dev/pprof4j/ui/"
                        + (file.isEmpty() ? "index.html" : file))) {
                    send(exchange, in.readAllBytes());
                }
            }
        });
        server.start();
        try {
            String ui = "http://127.0.0.1:" + server.getAddress().getPort() + "/debug/pprof/ui/?profile=heap&gc=0";
            System.out.printf(Locale.ROOT, "%d stacks, %,d bytes gzipped%n", stacks, profile.length);
            for (String view : new String[] {"", "&lines=1&view=top"}) {
                for (int run = 0; run < runs; run++) {
                    long start = System.nanoTime();
                    String dom = chromium(ui + view);
                    long wall = (System.nanoTime() - start) / 1_000_000;
                    Matcher frames = FRAMES.matcher(dom);
                    System.out.printf(Locale.ROOT, "%s: browser run %d ms, %s frames drawn%n",
                            view.isEmpty() ? "flame graph" : "top by line", wall, frames.find() ? frames.group(1) : "no");
                }
            }
        } finally {
            server.stop(0);
        }
    }

    /** A heap profile of {@code count} distinct stacks with Go's four sample types. */
    private static StackProfile heapProfile(int count) {
        Random random = new Random(42);
        List<Frame> methods = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            methods.add(new Frame("com.example.module" + i % 40 + ".Service" + i % 300, "method" + i,
                    "com/example/module" + i % 40 + "/Service" + i % 300 + ".java", 10 + i % 500));
        }
        List<StackProfile.Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Frame> stack = new ArrayList<>();
            int depth = 20 + random.nextInt(41);
            for (int d = 0; d < depth; d++) {
                stack.add(methods.get(d < depth - 8 ? random.nextInt(2000) : d * 7));
            }
            long bytes = 1 + random.nextInt(1 << 20);
            samples.add(new StackProfile.Sample(stack, new long[] {bytes / 64, bytes, bytes / 128, bytes / 2}));
        }
        return new StackProfile(HeapData.SAMPLE_TYPES, null, new StackProfile.ValueType("space", "bytes"), 524288,
                StackProfile.nowNanos(), 0, samples, List.of());
    }

    private static String chromium(String url) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("pprof4j-chromium");
        Path out = home.resolve("dom.html");
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + home.resolve("profile"), "--virtual-time-budget=60000",
                "--window-size=1400,900", "--dump-dom", url)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
