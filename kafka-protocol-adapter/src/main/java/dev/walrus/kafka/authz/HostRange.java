package dev.walrus.kafka.authz;

import java.net.InetAddress;

/**
 * CIDR ranges in an ACL's host ({@code 10.0.0.0/8}, {@code fd00::/8}): a client's address is covered when its first
 * prefix-length bits equal the range's. Only literal addresses are parsed, never names (no DNS lookup on a check).
 */
final class HostRange {

    private HostRange() {}

    /** Whether {@code host} is a CIDR range that contains {@code address}; false for anything else. */
    static boolean contains(String host, String address) {
        int slash = host.indexOf('/');
        if (slash < 0) {
            return false;
        }
        byte[] range = literalAddress(host.substring(0, slash));
        byte[] client = literalAddress(address);
        int bits;
        try {
            bits = Integer.parseInt(host.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (range == null || client == null || range.length != client.length || bits < 0 || bits > range.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((range[i / 8] & mask) != (client[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code host} is a well-formed CIDR range (CreateAcls checks this). */
    static boolean isRange(String host) {
        int slash = host.indexOf('/');
        byte[] range = slash < 0 ? null : literalAddress(host.substring(0, slash));
        if (range == null) {
            return false;
        }
        try {
            int bits = Integer.parseInt(host.substring(slash + 1));
            return bits >= 0 && bits <= range.length * 8;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The bytes of a literal IPv4 or IPv6 address, or null if {@code text} is not one. */
    static byte[] literalAddress(String text) {
        if (text.isEmpty() || !(text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            return null; // a host name: InetAddress would look it up
        }
        try {
            return InetAddress.ofLiteral(text).getAddress();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
