package dev.pprof4j;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The request headers by which proxies say that a request was relayed, and
 * the hops they name. Every line of a header counts, in the order received,
 * and within a line every comma-separated element: the client's own line
 * first, then what each proxy added.
 */
final class ForwardingHeaders {

    /** Headers that name the clients a request was relayed for, oldest hop first. */
    static final List<String> ADDRESSING = List.of(
            "Forwarded", // RFC 7239, its for= parameter
            "X-Forwarded-For",
            "X-Real-IP", // nginx
            "X-Envoy-External-Address", // Envoy, Istio's gateways
            "X-Original-Forwarded-For", // ingress-nginx: the X-Forwarded-For it received
            "True-Client-IP", // Akamai, Cloudflare
            "CF-Connecting-IP", // Cloudflare
            "Fastly-Client-IP",
            "X-Client-IP",
            "X-Cluster-Client-IP");

    /** Headers that only a proxy adds, naming no client, so a request that has one was relayed. */
    static final List<String> MARKING = List.of(
            "Via",
            "X-Forwarded-Host",
            "X-Forwarded-Proto",
            "X-Forwarded-Port",
            "X-Forwarded-Server",
            "X-Forwarded-Prefix",
            "X-Forwarded-By", // Tomcat's RemoteIpValve
            "X-Forwarded-Client-Cert"); // Envoy, Istio's sidecars under mutual TLS

    /** A port after an address: a number, or an obfuscated one (RFC 7239). */
    private static final Pattern PORT = Pattern.compile(":([0-9]{1,5}|_[A-Za-z0-9._-]+)");
    /** A parameter name in {@code Forwarded}: an RFC 9110 token. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** An unquoted parameter value; ':' and brackets should be quoted, but proxies that do not are read too. */
    private static final Pattern BARE_VALUE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z:\\[\\]-]+");

    private ForwardingHeaders() {
    }

    /** One hop a header names: its address as {@link InetAddress#getHostAddress()} writes it, or null if it names none. */
    record Hop(String address) {
        boolean named() {
            return address != null;
        }
    }

    /**
     * The hops an addressing header's lines name, oldest first. A line that
     * is not valid syntax counts as one hop that names no address, as do
     * {@code unknown}, obfuscated identifiers ({@code _hidden}), host names
     * and empty {@code for=}.
     */
    static List<Hop> hops(String header, List<String> lines) {
        List<Hop> hops = new ArrayList<>();
        for (String line : lines) {
            List<Hop> named = header.equalsIgnoreCase("Forwarded") ? forwarded(line) : addressList(line);
            hops.addAll(named == null ? List.of(new Hop(null)) : named);
        }
        return hops;
    }

    /** {@code X-Forwarded-For} and the like: addresses separated by commas, perhaps with ports. */
    private static List<Hop> addressList(String line) {
        List<Hop> hops = new ArrayList<>();
        for (String element : line.split(",", -1)) {
            if (!element.isBlank()) {
                hops.add(new Hop(address(element.trim())));
            }
        }
        return hops.isEmpty() ? null : hops;
    }

    /** RFC 7239: elements separated by commas, each {@code name=value} pairs separated by semicolons; null if malformed. */
    private static List<Hop> forwarded(String line) {
        List<String> elements = split(line, ',');
        if (elements == null) {
            return null;
        }
        List<Hop> hops = new ArrayList<>();
        for (String element : elements) {
            if (element.isBlank()) {
                continue; // empty list elements are allowed and ignored (RFC 9110, 5.6.1)
            }
            String node = null;
            for (String pair : split(element, ';')) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0 || !TOKEN.matcher(pair.substring(0, eq).trim()).matches()) {
                    return null;
                }
                String value = unquote(pair.substring(eq + 1).trim());
                if (value == null) {
                    return null;
                }
                if (pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
                    if (node != null) {
                        return null; // two for= in one element: which one is meant is anyone's guess
                    }
                    node = value;
                }
            }
            // An element without for= is a proxy that did not say whom it relayed for.
            hops.add(new Hop(node == null ? null : address(node)));
        }
        return hops.isEmpty() ? null : hops;
    }

    /** Splits at {@code separator} outside quoted strings; null if a quote is left open. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            return null;
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String unquote(String value) {
        if (!value.startsWith("\"")) {
            return BARE_VALUE.matcher(value).matches() ? value : null;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            return null;
        }
        StringBuilder unquoted = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            } else if (c == '"' || c == '\\') {
                return null;
            }
            unquoted.append(c);
        }
        return unquoted.toString();
    }

    /**
     * The address in a node such as {@code 192.0.2.1}, {@code 192.0.2.1:443},
     * {@code [2001:db8::1]:443} or {@code 2001:db8::1}; null for anything else.
     */
    static String address(String node) {
        String host = node;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || !(close == host.length() - 1 || PORT.matcher(host.substring(close + 1)).matches())) {
                return null;
            }
            host = host.substring(1, close);
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0 && colon == host.lastIndexOf(':')) {
                if (!PORT.matcher(host.substring(colon)).matches()) {
                    return null;
                }
                host = host.substring(0, colon);
            }
        }
        byte[] bytes = AddressRange.literal(host);
        return bytes == null ? null : hostAddress(bytes);
    }

    /** The address as the JDK writes it, so that what a message shows is never the client's own text. */
    static String hostAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // four or sixteen bytes, by construction
        }
    }
}
