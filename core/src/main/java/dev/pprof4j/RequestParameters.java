package dev.pprof4j;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A request's parameters as Go's {@code Request.FormValue} sees them: from the
 * query string and, for a form-encoded POST, PUT or PATCH, from the body,
 * whose values win. Malformed pairs are skipped, as Go skips them.
 */
final class RequestParameters {

    /** Go reads at most 10 MB of form; pprof's parameters need a few bytes. */
    private static final int MAX_FORM_BYTES = 64 * 1024;
    /** Go parses only ASCII digits, where Java would take any Unicode digit. */
    private static final Pattern ASCII_INTEGER = Pattern.compile("[+-]?[0-9]+");

    private final Map<String, String> values;

    private RequestParameters(Map<String, String> values) {
        this.values = values;
    }

    static RequestParameters of(PprofExchange exchange) throws IOException {
        Map<String, String> values = new HashMap<>();
        parse(exchange.queryString(), values);
        if (hasFormBody(exchange)) {
            try (InputStream body = exchange.requestBody()) {
                byte[] form = body.readNBytes(MAX_FORM_BYTES);
                parse(new String(form, StandardCharsets.UTF_8), values);
            }
        }
        return new RequestParameters(values);
    }

    /** The first value of a parameter, or "" when absent (Go's FormValue). */
    String get(String name) {
        return values.getOrDefault(name, "");
    }

    /** Go's {@code strconv.ParseInt(value, 10, 64)} as the handlers read {@code seconds}: 0 when missing or unparsable. */
    long getLong(String name) {
        String value = get(name);
        if (!ASCII_INTEGER.matcher(value).matches()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A parameter as Go's {@code strconv.Atoi} reads it: anything unparsable
     * counts as 0, and an integer out of range as the nearest one in range.
     */
    int getInt(String name) {
        String value = get(name);
        if (!ASCII_INTEGER.matcher(value).matches()) {
            return 0;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return value.startsWith("-") ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
    }

    private static boolean hasFormBody(PprofExchange exchange) {
        String method = exchange.method().toUpperCase(Locale.ROOT);
        List<String> type = exchange.requestHeaders("Content-Type");
        return (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))
                && !type.isEmpty()
                && type.get(0).toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** Adds the pairs of {@code a=1&b=2}; a later source's value replaces an earlier one's. */
    private static void parse(String query, Map<String, String> into) {
        if (query == null || query.isEmpty()) {
            return;
        }
        Map<String, String> parsed = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty() || pair.indexOf(';') >= 0) {
                continue; // Go (1.17+) rejects ';' as a separator and drops the pair
            }
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                parsed.putIfAbsent(key, value);
            } catch (IllegalArgumentException malformed) {
                // Go skips a pair it cannot unescape.
            }
        }
        into.putAll(parsed);
    }
}
