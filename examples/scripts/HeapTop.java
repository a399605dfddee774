import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-use heap of a pprof4j heap profile by source line, with nothing but
 * a JDK: {@code java HeapTop.java URL --focus REGEX [--top N]}. Reads the
 * profile's text form ({@code heap?debug=1}) and charges each record's
 * in-use bytes to the line of the first frame, from the allocation up, whose
 * function matches REGEX: the line of your code that allocated it, directly
 * or through a library. That is what
 * {@code go tool pprof -top -lines -focus=REGEX} followed by the call graph
 * would show; records without such a frame are summed apart.
 */
public class HeapTop {

    // "in-use objects: in-use bytes [allocated objects: allocated bytes] @ addresses"
    private static final Pattern RECORD = Pattern.compile("^(\\d+): (\\d+) \\[(\\d+): (\\d+)\\] @");
    // "#<tab>0x…<tab>function<tab>path/File.java:line", columns padded with tabs
    private static final Pattern FRAME = Pattern.compile("^#\\s+0x[0-9a-f]+\\s+(\\S+)\\s+(\\S+):(\\d+)\\s*$");

    private static final String NO_MATCH = "";

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Pattern focus = Pattern.compile(option(args, "--focus", "."));
        int top = Integer.parseInt(option(args, "--top", "5"));
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            System.err.println(url + ": " + response.statusCode() + " " + response.body().strip());
            System.exit(1);
        }
        Map<String, Long> bytesBySite = new LinkedHashMap<>();
        long total = 0;
        long record = 0;
        String site = null;
        for (String line : response.body().split("\n")) {
            Matcher header = RECORD.matcher(line);
            Matcher frame = FRAME.matcher(line);
            if (header.find()) {
                charge(bytesBySite, site, record);
                record = Long.parseLong(header.group(2));
                total += record;
                site = null;
            } else if (frame.matches() && site == null && focus.matcher(frame.group(1)).find()) {
                String file = frame.group(2).substring(frame.group(2).lastIndexOf('/') + 1);
                site = file + ":" + frame.group(3) + "  " + frame.group(1);
            }
        }
        charge(bytesBySite, site, record);
        long unmatched = bytesBySite.getOrDefault(NO_MATCH, 0L);
        bytesBySite.remove(NO_MATCH);
        System.out.printf("In use: %.1f MB in all. By the line that allocated it (first frame matching %s):%n",
                total / 1e6, focus);
        long shown = 0;
        for (Map.Entry<String, Long> entry : bytesBySite.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top).toList()) {
            System.out.printf("  %8.1f MB %5.1f%%  %s%n", entry.getValue() / 1e6,
                    100.0 * entry.getValue() / Math.max(total, 1), entry.getKey());
            shown += entry.getValue();
        }
        System.out.printf("  %8.1f MB %5.1f%%  (other lines matching)%n", (total - unmatched - shown) / 1e6,
                100.0 * (total - unmatched - shown) / Math.max(total, 1));
        System.out.printf("  %8.1f MB %5.1f%%  (no frame matches: the framework, the JVM, unattributed)%n",
                unmatched / 1e6, 100.0 * unmatched / Math.max(total, 1));
    }

    private static void charge(Map<String, Long> bytesBySite, String site, long bytes) {
        if (bytes > 0) {
            bytesBySite.merge(site == null ? NO_MATCH : site, bytes, Long::sum);
        }
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
