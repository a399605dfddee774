package dev.pprof4j;

import dev.pprof4j.ForwardingHeaders.Hop;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may fetch profiles. Profiles reveal code structure, thread names and
 * the command line, so by default only this machine's own loopback client
 * may; the options add addresses and ranges, name the proxies whose
 * forwarding headers are believed, or allow any client for deployments that
 * secure the endpoint themselves.
 *
 * <p>The rule, in order (docs/deployment.md explains it for operators):
 * <ul>
 * <li><b>Local</b> is a connection from {@code 127.0.0.1} or {@code ::1}
 * (in any notation) that is not a trusted proxy and carries none of the
 * {@linkplain ForwardingHeaders forwarding headers}. The rest of
 * {@code 127.0.0.0/8} is not local: an Istio sidecar relays the mesh's
 * requests from {@code 127.0.0.6}. No header makes a request local.</li>
 * <li><b>From a peer that is not a trusted proxy</b>, forwarding headers are
 * not believed, but not ignored either: the peer and every hop they name
 * (trusted proxies aside) must be allowed, and a hop that names no address
 * is refused. This holds where the container has already replaced the peer
 * with an address from a header (Jetty's {@code ForwardedRequestCustomizer}),
 * since the header is still there.</li>
 * <li><b>From a trusted proxy</b>, each addressing header is walked from the
 * newest hop back, past trusted proxies; the first other hop is the client
 * and must be allowed. A hop that names no address (unknown, obfuscated,
 * unreadable) reached on the way refuses the request, since the client is
 * hidden. With several addressing headers, every one must name an allowed
 * client, so that a header the proxy does not overwrite cannot be used to
 * get in. A trusted proxy that names no client is judged by its own address,
 * never as local: it said it relays, and may relay anyone.</li>
 * </ul>
 */
final class AccessPolicy {

    static final String ANY = "any";
    private static final String OPEN_UP = "To open up, set PprofOptions allowedAddresses (Spring Boot:"
            + " pprof4j.allowed-addresses) to the clients' addresses or CIDR ranges, or to \"any\" where your own"
            + " security stands in front, and name the proxies whose forwarding headers are believed in PprofOptions"
            + " trustedProxies (Spring Boot: pprof4j.trusted-proxies); the Javalin plugin takes the same"
            + " PprofOptions. docs/deployment.md has recipes.";
    private static final String ONLY_LOCAL = "pprof4j answers only requests from this machine (127.0.0.1 or ::1,"
            + " not relayed by a proxy) and from allowed addresses; ";
    private static final List<AddressRange> LOCAL = List.of(AddressRange.parse("127.0.0.1"),
            AddressRange.parse("::1"), AddressRange.parse("::127.0.0.1"));
    private static final Decision ALLOWED = new Decision(true, null);

    /** Whether a request may be answered and, if not, the 403's message. */
    record Decision(boolean allowed, String reason) {
    }

    private final boolean any;
    private final List<AddressRange> allowed;
    private final List<AddressRange> trustedProxies;

    /**
     * @param allowed addresses and CIDR ranges allowed besides the local client, or {@link #ANY}
     * @param trustedProxies proxies whose forwarding headers are believed
     * @throws IllegalArgumentException for an entry that is not an address literal or range
     */
    AccessPolicy(List<String> allowed, List<String> trustedProxies) {
        List<String> ranges = new ArrayList<>();
        boolean anyone = false;
        for (String entry : allowed) {
            if (entry.trim().equalsIgnoreCase(ANY)) {
                anyone = true;
            } else {
                ranges.add(entry);
            }
        }
        this.any = anyone;
        this.allowed = ranges(ranges);
        this.trustedProxies = ranges(trustedProxies);
    }

    /** Whether the exchange's client may be answered, and why not. */
    Decision judge(PprofExchange exchange) {
        if (any) {
            return ALLOWED;
        }
        String reported = exchange.remoteAddress();
        byte[] peerBytes = reported == null ? null : AddressRange.literal(reported);
        if (peerBytes == null) {
            return refused("the server did not report this request's address");
        }
        String peer = ForwardingHeaders.hostAddress(peerBytes);
        boolean trustedPeer = in(trustedProxies, peer);
        List<String> relayedBy = new ArrayList<>();
        List<String> addressing = new ArrayList<>();
        List<List<Hop>> chains = new ArrayList<>();
        for (String header : ForwardingHeaders.ADDRESSING) {
            List<String> lines = exchange.requestHeaders(header);
            if (!lines.isEmpty()) {
                relayedBy.add(header);
                addressing.add(header);
                chains.add(ForwardingHeaders.hops(header, lines));
            }
        }
        for (String header : ForwardingHeaders.MARKING) {
            if (!exchange.requestHeaders(header).isEmpty()) {
                relayedBy.add(header);
            }
        }
        if (relayedBy.isEmpty() && !trustedPeer) {
            return in(LOCAL, peer) || in(allowed, peer) ? ALLOWED
                    : refused("this one came from " + peer + ", which is not allowed");
        }
        return trustedPeer ? throughTrustedProxy(peer, addressing, chains)
                : throughUntrustedPeer(peer, relayedBy, addressing, chains);
    }

    private Decision throughUntrustedPeer(String peer, List<String> relayedBy, List<String> addressing,
            List<List<Hop>> chains) {
        String because = "this one came from " + peer + " with " + String.join(", ", relayedBy)
                + ", which proxies add, and " + peer + " is not a trusted proxy";
        if (!in(allowed, peer)) {
            return refused(because + ": a relayed request is not local, and " + peer + " is not allowed");
        }
        for (int h = 0; h < chains.size(); h++) {
            for (Hop hop : chains.get(h)) {
                if (!hop.named()) {
                    return refused(because + ", and its " + addressing.get(h)
                            + " names a client that is not an IP address (unknown, obfuscated or unreadable)");
                }
                if (!in(trustedProxies, hop.address()) && !in(allowed, hop.address())) {
                    return refused(because + ", so every address its headers name must be allowed, and "
                            + addressing.get(h) + " names " + hop.address() + ", which is not");
                }
            }
        }
        return ALLOWED;
    }

    private Decision throughTrustedProxy(String peer, List<String> addressing, List<List<Hop>> chains) {
        if (chains.isEmpty()) {
            return in(allowed, peer) ? ALLOWED : refused("this one came from " + peer
                    + ", a trusted proxy, without a header naming its client, and " + peer + " is not allowed");
        }
        for (int h = 0; h < chains.size(); h++) {
            List<Hop> hops = chains.get(h);
            String client = null;
            for (int i = hops.size() - 1; i >= 0 && client == null; i--) {
                Hop hop = hops.get(i);
                if (!hop.named()) {
                    return refused("this one was relayed by trusted proxy " + peer + " with " + addressing.get(h)
                            + " naming a hop that is not an IP address (unknown, obfuscated or unreadable), so its"
                            + " client cannot be judged");
                }
                if (i == 0 || !in(trustedProxies, hop.address())) {
                    client = hop.address();
                }
            }
            if (!in(allowed, client)) {
                return refused("this one was relayed by trusted proxy " + peer + " for " + client + " ("
                        + addressing.get(h) + "), which is not allowed");
            }
        }
        return ALLOWED;
    }

    private static Decision refused(String why) {
        return new Decision(false, ONLY_LOCAL + why + ". " + OPEN_UP);
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
