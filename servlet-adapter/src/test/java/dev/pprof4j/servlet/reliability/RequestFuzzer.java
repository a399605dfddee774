package dev.pprof4j.servlet.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Requests built of random and edge values over every endpoint, parameter,
 * method and header: each one rebuilt from the seed and its number alone, so
 * that a failure is replayed by running the same seed (and case).
 */
final class RequestFuzzer {

    /** A custom profile the fuzzed server serves, so that its endpoint is fuzzed too. */
    static final String CUSTOM_PROFILE = "fuzz.example/sockets";

    private static final List<String> METHODS = List.of("GET", "GET", "GET", "GET", "GET", "GET", "HEAD", "POST",
            "POST", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "PROPFIND", "BREW", "get", "M-SEARCH",
            "X".repeat(200));
    private static final List<String> ENDPOINTS = List.of("", "cmdline", "profile", "symbol", "trace", "heap",
            "allocs", "goroutine", "threadcreate", "mutex", "block", CUSTOM_PROFILE, "nosuch", "heap/", "Heap",
            "debug/pprof/heap", "fuzz.example", "fuzz.example/");
    private static final List<String> PATH_JUNK = List.of("|", "^", "{", "}", "\"", "<", ">", "\\", "`", "'", "$",
            "*", "~", "[", "]", "%7C", "%7B%22", "%5E", "%00", "%0A", "%2F", "%2f..%2f", "%2e%2e/", "/../", "/./", "//",
            "%ZZ", "%", "%C3%A9", "\u00e9", "\u65e5\u672c", "%FF%FE", ";jsessionid=x", ";", "?", "#frag",
            "a".repeat(5000), "%u0041", "\u0001");
    private static final List<String> PARAMETERS = List.of("seconds", "seconds", "seconds", "debug", "debug", "gc",
            "", "SECONDS", "seconds ", "%73econds", "seconds[]", "name", "x");
    private static final List<String> VALUES = List.of("", "0", "1", "1", "1", "2", "-1", "-0", "+1", "01", "1.5",
            "0.5", "0.001", "1e0", "1e-9", "1e309", "NaN", "Infinity", "-Infinity", "0x10", "%201", "1%20", "%31",
            "%2B1", "%00", "%ZZ", "%", "\u0661", "\uff11", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "2147483647", "2147483648", "-2147483649",
            "99999999999999999999999999", "9".repeat(400), "\u00e9", "%C3%A9", "|", "^", "{\"", "true", "null");
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "APPLICATION/X-WWW-FORM-URLENCODED",
            "application/x-www-form-urlencoded; charset=nope", "multipart/form-data; boundary=x", "text/plain",
            "application/octet-stream", "application/json", ";;;", "", "\u00e9/\u00e9", "*/*; q=nonsense");
    private static final List<String> FORWARDING = List.of("X-Forwarded-For", "Forwarded", "X-Real-IP",
            "X-Envoy-External-Address", "X-Forwarded-Host", "X-Forwarded-Proto");
    private static final List<String> ADDRESSES = List.of("203.0.113.9", "127.0.0.1", "127.0.0.1, 203.0.113.9",
            "unknown", "::1", "[::1]", "for=203.0.113.9", "for=\"[2001:db8::1]:80\"", "999.1.1.1", "", ",,,,",
            "a".repeat(2000), "127.0.0.1;proto=http", "by=x;for=127.0.0.1, for=203.0.113.9", "\u00e9");
    private static final List<String> OTHER_HEADERS = List.of("Accept-Encoding: gzip, br, x-nonsense",
            "Expect: 100-continue", "Accept: */*", "Range: bytes=0-10", "If-None-Match: *",
            "Cookie: JSESSIONID=%%%; a=b", "X-Odd: \u00e9\u65e5", "Authorization: Bearer x", "Upgrade: h2c",
            "Content-Encoding: gzip", "Accept-Language: *;q=-1");
    private static final List<Integer> LONG_HEADER_LENGTHS = List.of(1_000, 7_000, 9_000, 70_000);

    private final long seed;

    RequestFuzzer(long seed) {
        this.seed = seed;
    }

    /** One fuzzed request: what it is, and its bytes on the wire (with {@code Connection: close}). */
    record Case(int number, String head, byte[] bytes) {
        /** The request line and headers, non-printable characters escaped, long runs cut. */
        String describe() {
            StringBuilder out = new StringBuilder();
            for (char c : head.toCharArray()) {
                out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : c == '\r' ? "" : c == '\n' ? " | "
                        : String.format("\\u%04x", (int) c));
            }
            String described = out.toString().replaceAll("(.)\\1{40,}", "$1$1$1…");
            return "case " + number + ": " + (described.length() > 400 ? described.substring(0, 400) + "…" : described)
                    + " (" + bytes.length + " bytes)";
        }
    }

    Case next(int number, int port) {
        Random random = new Random(seed * 1_000_003L + number);
        String method = pick(random, METHODS);
        String target = path(random) + query(random);
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
        if (random.nextInt(10) > 0) {
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        } else if (random.nextBoolean()) {
            head.append("Host: ").append(pick(random, List.of("", "a|b", "[::1]:" + port, "localhost",
                    "127.0.0.1:99999", "\u00fc.example", "x".repeat(300)))).append("\r\n");
        }
        if (random.nextInt(10) < 3) {
            head.append("Content-Type: ").append(pick(random, CONTENT_TYPES)).append("\r\n");
        }
        if (random.nextInt(100) < 15) {
            head.append(pick(random, FORWARDING)).append(": ").append(pick(random, ADDRESSES)).append("\r\n");
        }
        if (random.nextInt(100) < 10) {
            head.append("X-Long: ").append("a".repeat(pick(random, LONG_HEADER_LENGTHS))).append("\r\n");
        }
        if (random.nextInt(100) < 10) {
            head.append(pick(random, OTHER_HEADERS)).append("\r\n");
        }
        boolean sendsBody = List.of("POST", "PUT", "PATCH").contains(method) ? random.nextInt(10) > 0
                : random.nextInt(100) < 5;
        byte[] body = sendsBody ? body(random) : new byte[0];
        boolean chunked = sendsBody && random.nextInt(5) == 0;
        if (chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (sendsBody) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (chunked) {
            bytes.writeBytes((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            bytes.writeBytes(body);
            bytes.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            bytes.writeBytes(body);
        }
        return new Case(number, head.toString(), bytes.toByteArray());
    }

    private static String path(Random random) {
        String mount = "/debug/pprof";
        String endpoint = pick(random, ENDPOINTS);
        String junk = pick(random, PATH_JUNK);
        switch (random.nextInt(12)) {
            case 0:
                return mount;
            case 1:
            case 2:
                return mount + "/" + endpoint + junk;
            case 3:
                return mount + junk + endpoint;
            case 4:
                return mount + "/" + junk + endpoint;
            case 5:
                return mount + junk;
            case 6:
                return random.nextBoolean() ? "/" + junk : mount + ";" + junk;
            case 7:
                return mount + "/" + endpoint + "/" + pick(random, ENDPOINTS);
            default:
                return mount + "/" + endpoint;
        }
    }

    private static String query(Random random) {
        int parameters = random.nextInt(5);
        if (parameters == 0) {
            return random.nextInt(4) == 0 ? "?" : "";
        }
        StringBuilder query = new StringBuilder("?");
        for (int i = 0; i < parameters; i++) {
            if (i > 0) {
                query.append(pick(random, List.of("&", "&", "&", ";", "&&")));
            }
            query.append(pick(random, PARAMETERS));
            if (random.nextInt(8) > 0) {
                query.append('=').append(value(random));
            }
        }
        if (random.nextInt(10) == 0) {
            query.append(pick(random, PATH_JUNK));
        }
        return query.toString();
    }

    private static String value(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return Integer.toString(random.nextInt());
            case 1:
                return Long.toString(random.nextLong());
            default:
                return pick(random, VALUES);
        }
    }

    private static byte[] body(Random random) {
        switch (random.nextInt(4)) {
            case 0: {
                StringBuilder form = new StringBuilder(pick(random, PARAMETERS) + "=" + value(random));
                if (random.nextBoolean()) {
                    form.append('&').append(pick(random, PARAMETERS)).append('=').append(value(random));
                }
                return form.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 1: {
                StringBuilder addresses = new StringBuilder();
                int count = 1 + random.nextInt(2_000);
                for (int i = 0; i < count; i++) {
                    addresses.append(i == 0 ? "" : "+").append(i % 7 == 0 ? pick(random, VALUES)
                            : "0x" + Long.toHexString(random.nextLong()));
                }
                return addresses.toString().getBytes(StandardCharsets.UTF_8);
            }
            case 2: {
                byte[] bytes = new byte[random.nextInt(64 * 1024)];
                random.nextBytes(bytes);
                return bytes;
            }
            default:
                return new byte[0];
        }
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
