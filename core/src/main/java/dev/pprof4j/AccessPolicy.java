package dev.pprof4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may fetch profiles. Profiles reveal code structure, thread names and
 * the command line, so by default only the local machine may (loopback,
 * which includes {@code kubectl port-forward}); the options add addresses
 * and ranges, or allow any client for deployments that secure the endpoint
 * themselves.
 *
 * <p>A client is judged by the address the container reports. Behind a
 * reverse proxy that is the proxy's; only if the user names the proxy as
 * trusted is {@code X-Forwarded-For} read, from the right, skipping trusted
 * proxies, so that a client cannot forge its way in with a header.
 */
final class AccessPolicy {

    static final String ANY = "any";
    static final String DENIED = "pprof4j answers only requests from this machine; to allow others, set"
            + " PprofOptions allowedAddresses (Spring Boot: pprof4j.allowed-addresses) to their addresses or CIDR"
            + " ranges, or to \"any\"";
    private static final List<AddressRange> LOOPBACK = List.of(AddressRange.parse("127.0.0.0/8"),
            AddressRange.parse("::1"));

    private final boolean any;
    private final List<AddressRange> allowed;
    private final List<AddressRange> trustedProxies;

    /**
     * @param allowed addresses and CIDR ranges allowed besides loopback, or {@link #ANY}
     * @param trustedProxies proxies whose {@code X-Forwarded-For} is believed
     * @throws IllegalArgumentException for an entry that is not an address literal or range
     */
    AccessPolicy(List<String> allowed, List<String> trustedProxies) {
        this.any = allowed.stream().anyMatch(entry -> entry.trim().equalsIgnoreCase(ANY));
        this.allowed = ranges(allowed.stream().filter(entry -> !entry.trim().equalsIgnoreCase(ANY)).toList());
        this.trustedProxies = ranges(trustedProxies);
    }

    /** Whether the exchange's client may be answered. */
    boolean allows(PprofExchange exchange) {
        if (any) {
            return true;
        }
        String client = client(exchange);
        return in(LOOPBACK, client) || in(allowed, client);
    }

    /** The client's address: the peer's, or behind trusted proxies the first address they did not add. */
    String client(PprofExchange exchange) {
        String peer = exchange.remoteAddress();
        if (!in(trustedProxies, peer)) {
            return peer;
        }
        String forwarded = exchange.requestHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (i == 0 || !in(trustedProxies, hop)) {
                return hop;
            }
        }
        return peer;
    }

    private static boolean in(List<AddressRange> ranges, String address) {
        for (AddressRange range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static List<AddressRange> ranges(List<String> entries) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String entry : entries) {
            ranges.add(AddressRange.parse(entry));
        }
        return List.copyOf(ranges);
    }
}
