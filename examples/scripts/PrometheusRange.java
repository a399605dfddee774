import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Prometheus range query as a table for gnuplot, with nothing but a JDK:
 * {@code java PrometheusRange.java http://127.0.0.1:9090 QUERY LABEL SECONDS}
 * prints, for the last SECONDS, one line per 5-second step: seconds since
 * the start, then the value of each series in MB, one column per value of
 * LABEL (a header line names them).
 */
public class PrometheusRange {

    // {"metric":{...,"version":"leaky",...},"values":[[1700000000,"123"],...]}
    private static final Pattern SERIES = Pattern.compile("\\{\"metric\":\\{([^}]*)\\},\"values\":\\[(.*?)\\]\\]");
    private static final Pattern POINT = Pattern.compile("\\[([0-9.]+),\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() / 1000;
        long start = end - Long.parseLong(args[3]);
        String url = args[0] + "/api/v1/query_range?query=" + URLEncoder.encode(args[1], StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=5";
        String json = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Pattern label = Pattern.compile("\"" + Pattern.quote(args[2]) + "\":\"([^\"]*)\"");
        List<String> names = new ArrayList<>();
        Map<Long, Map<String, Double>> rows = new TreeMap<>();
        Matcher series = SERIES.matcher(json);
        while (series.find()) {
            Matcher name = label.matcher(series.group(1));
            String column = name.find() ? name.group(1) : "value";
            names.add(column);
            Matcher point = POINT.matcher(series.group(2) + "]");
            while (point.find()) {
                long t = (long) Double.parseDouble(point.group(1)) - start;
                rows.computeIfAbsent(t, k -> new TreeMap<>()).put(column, Double.parseDouble(point.group(2)) / 1e6);
            }
        }
        if (names.isEmpty()) {
            System.err.println("no series in: " + json);
            System.exit(1);
        }
        names.sort(null);
        System.out.println("seconds\t" + String.join("\t", names));
        for (Map.Entry<Long, Map<String, Double>> row : rows.entrySet()) {
            StringBuilder line = new StringBuilder().append(row.getKey());
            for (String column : names) {
                Double value = row.getValue().get(column);
                line.append('\t').append(value == null ? "NaN" : String.format("%.1f", value));
            }
            System.out.println(line);
        }
    }
}
