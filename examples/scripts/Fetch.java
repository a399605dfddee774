import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

/**
 * Prints the body of a URL, so the example scripts need nothing but a JDK:
 * {@code java Fetch.java URL [--wait SECONDS] [--post]}. Exits 1 on a non-200 answer,
 * 2 if the server never answered.
 */
public class Fetch {
    public static void main(String[] args) throws Exception {
        long waitSeconds = args.length > 2 && args[1].equals("--wait") ? Long.parseLong(args[2]) : 0;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(args[0])).timeout(Duration.ofSeconds(90));
        HttpRequest request = Arrays.asList(args).contains("--post")
                ? builder.POST(HttpRequest.BodyPublishers.noBody()).build() : builder.build();
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                System.out.write(response.body());
                System.out.flush();
                System.exit(response.statusCode() == 200 ? 0 : 1);
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    System.err.println("no answer from " + args[0] + ": " + e);
                    System.exit(2);
                }
                Thread.sleep(250);
            }
        }
    }
}
