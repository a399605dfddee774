import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Prints a service's memory as its own Prometheus metrics report it, every
 * few seconds, until stopped: {@code java MetricsWatch.java URL [SECONDS]}.
 * Heap in use, its old generation (where what survives collections ends
 * up), and how many series {@code /metrics} holds.
 */
public class MetricsWatch {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        long every = args.length > 1 ? Long.parseLong(args[1]) : 5;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long start = System.nanoTime();
        while (true) {
            Thread.sleep(every * 1000);
            try {
                String metrics = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                double heap = 0;
                double old = 0;
                long series = 0;
                for (String line : metrics.split("\n")) {
                    if (line.startsWith("#") || line.isBlank()) {
                        continue;
                    }
                    series++;
                    if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        heap += value;
                        if (line.contains("Old Gen") || line.contains("Tenured")) {
                            old += value;
                        }
                    }
                }
                System.out.printf("memory: %3d s  heap used %6.1f MB  old generation %6.1f MB  %7d series in /metrics%n",
                        (System.nanoTime() - start) / 1_000_000_000L, heap / 1e6, old / 1e6, series);
            } catch (java.io.IOException e) {
                System.out.println("memory: no answer from " + url + ": " + e.getMessage());
            }
        }
    }
}
