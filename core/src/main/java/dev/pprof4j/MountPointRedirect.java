package dev.pprof4j;

import java.nio.charset.StandardCharsets;

/**
 * The answer to the mount point without its slash: a redirect to it with
 * the slash, as the client wrote its path. What no URL may hold raw
 * ({@code |}, {@code ^}, {@code {}, {@code "}, which some containers let
 * through) is escaped, as Go's redirect escapes it.
 */
final class MountPointRedirect {

    /** What a URL's path and query may hold unescaped. */
    private static final String URL_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/%?";

    private MountPointRedirect() {
    }

    static Response of(PprofExchange exchange) {
        String url = exchange.requestUrl();
        int scheme = url.indexOf("://");
        int pathStart = scheme < 0 ? 0 : url.indexOf('/', scheme + 3);
        String path = escape(pathStart < 0 ? "" : url.substring(pathStart)) + "/";
        String query = exchange.queryString();
        return Response.redirect(query == null || query.isEmpty() ? path : path + "?" + escape(query),
                exchange.method());
    }

    /** {@code path} (or a query) with what no URL may hold raw escaped. */
    static String escape(String path) {
        StringBuilder escaped = new StringBuilder(path.length());
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            if (b > 0 && URL_CHARACTERS.indexOf(b) >= 0) {
                escaped.append((char) b);
            } else {
                escaped.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
            }
        }
        return escaped.toString();
    }
}
