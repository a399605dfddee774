package dev.pprof4j.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** A plain HTTP client for tests: no redirects followed, bodies as bytes. */
public final class HttpTestClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private HttpTestClient() {
    }

    /** A response: status, headers, body. */
    public record Reply(int status, java.net.http.HttpHeaders headers, byte[] body) {
        public String header(String name) {
            Optional<String> value = headers.firstValue(name);
            return value.orElse(null);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static Reply get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** A GET as relayed by a reverse proxy that says who its client was. */
    public static Reply getForwardedFor(String url, String client) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-For", client).GET());
    }

    public static Reply head(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    }

    public static Reply post(String url, String contentType, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = CLIENT.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(response.statusCode(), response.headers(), response.body());
    }
}
