package dev.pprof4j;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8},
 * {@code fd00::/8}) or a single address. Only literals are accepted: a host
 * name would mean a DNS lookup, at configuration time and again whenever it
 * changed.
 */
final class AddressRange {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    /** Dotted-quad IPv4, or anything with a colon, which the JDK parses as IPv6 without a lookup. */
    private static final Pattern LITERAL = Pattern.compile(
            OCTET + "(\\." + OCTET + "){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final byte[] network;
    private final int prefixLength;
    private final String text;

    private AddressRange(byte[] network, int prefixLength, String text) {
        this.network = network;
        this.prefixLength = prefixLength;
        this.text = text;
    }

    /** @throws IllegalArgumentException unless an address literal, optionally with {@code /prefix-length} */
    static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: \"" + text + "\"");
        }
        int prefixLength = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefixLength = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefixLength = -1;
            }
            if (prefixLength < 0 || prefixLength > bytes.length * 8) {
                throw new IllegalArgumentException("not a valid prefix length in \"" + text + "\"");
            }
        }
        return new AddressRange(bytes, prefixLength, trimmed);
    }

    /** Whether an address literal (as a container reports it) lies in the range; false for anything else. */
    boolean contains(String address) {
        byte[] bytes = address == null ? null : literal(address);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int whole = prefixLength / 8;
        for (int i = 0; i < whole; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[whole] & mask) == (network[whole] & mask);
    }

    /** The address's bytes (IPv4-mapped IPv6 as IPv4), or null if it is not a literal. */
    static byte[] literal(String address) {
        String bare = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        int scope = bare.indexOf('%');
        if (scope >= 0) {
            bare = bare.substring(0, scope);
        }
        if (!LITERAL.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
