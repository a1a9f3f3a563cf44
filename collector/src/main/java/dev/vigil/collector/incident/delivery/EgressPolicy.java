package dev.vigil.collector.incident.delivery;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which addresses sinks may connect to: a guard against server-side request forgery, since sink URLs
 * come from configuration and the catalogue API. Loopback, private (RFC 1918), link-local (and so the
 * cloud metadata address 169.254.169.254), CGNAT (100.64/10), unique-local IPv6 (fc00::/7), unspecified,
 * multicast, broadcast and reserved ranges are blocked; an explicit allow-list opens some of them again.
 * IPv4-mapped and NAT64 IPv6 addresses are judged by the IPv4 address they carry.
 *
 * @param allowed ranges opened despite the blocked ones, from {@code incidents.egress.allow}
 */
public record EgressPolicy(List<Cidr> allowed) {
    /** Blocks every special range, allows nothing extra. */
    public static final EgressPolicy DEFAULT = new EgressPolicy(List.of());

    private static final List<Blocked> BLOCKED = List.of(
            new Blocked(Cidr.parse("0.0.0.0/8"), "an unspecified (\"this network\") address"),
            new Blocked(Cidr.parse("10.0.0.0/8"), "a private address"),
            new Blocked(Cidr.parse("100.64.0.0/10"), "a carrier-grade NAT address"),
            new Blocked(Cidr.parse("127.0.0.0/8"), "a loopback address"),
            new Blocked(Cidr.parse("169.254.0.0/16"), "a link-local address (cloud metadata lives there)"),
            new Blocked(Cidr.parse("172.16.0.0/12"), "a private address"),
            new Blocked(Cidr.parse("192.0.0.0/24"), "an IETF protocol assignment address"),
            new Blocked(Cidr.parse("192.168.0.0/16"), "a private address"),
            new Blocked(Cidr.parse("198.18.0.0/15"), "a benchmarking address"),
            new Blocked(Cidr.parse("224.0.0.0/4"), "a multicast address"),
            new Blocked(Cidr.parse("240.0.0.0/4"), "a reserved or broadcast address"),
            new Blocked(Cidr.parse("::/128"), "the unspecified address"),
            new Blocked(Cidr.parse("::1/128"), "a loopback address"),
            new Blocked(Cidr.parse("fc00::/7"), "a unique-local address"),
            new Blocked(Cidr.parse("fe80::/10"), "a link-local address"),
            new Blocked(Cidr.parse("ff00::/8"), "a multicast address"));
    // Built from bytes: InetAddress turns the text form of an IPv4-mapped address into an IPv4 address.
    private static final Cidr MAPPED = new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
        0, 0, 0, 0}, 96);
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    /** Copies. */
    public EgressPolicy {
        allowed = List.copyOf(allowed);
    }

    /** Why a connection to {@code address} is refused, or empty when it is allowed. */
    public Optional<String> denies(InetAddress address) {
        Objects.requireNonNull(address, "address");
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return Optional.empty();
            }
        }
        InetAddress judged = embeddedIpv4(address).orElse(address);
        if (judged != address) {
            for (Cidr range : allowed) {
                if (range.contains(judged)) {
                    return Optional.empty();
                }
            }
        }
        for (Blocked blocked : BLOCKED) {
            if (blocked.range().contains(judged)) {
                return Optional.of(address.getHostAddress() + " is " + blocked.what()
                        + ", blocked for sinks unless listed in incidents.egress.allow");
            }
        }
        return Optional.empty();
    }

    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address) || !(MAPPED.contains(address) || NAT64.contains(address))) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private record Blocked(Cidr range, String what) {
    }

    /**
     * An address range, {@code <address>/<prefix length>}, IPv4 or IPv6; a bare address is a range of one.
     *
     * @param network the range's first address bytes (4 or 16)
     * @param prefix  the prefix length, 0..32 or 0..128
     */
    public record Cidr(byte[] network, int prefix) {
        /** Validates the prefix against the family and clears the host bits. */
        public Cidr {
            Objects.requireNonNull(network, "network");
            if (network.length != 4 && network.length != 16) {
                throw new IllegalArgumentException("an address has 4 or 16 bytes (was " + network.length + ")");
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("prefix must be 0.." + network.length * 8 + " (was " + prefix + ")");
            }
            network = network.clone();
            for (int bit = prefix; bit < network.length * 8; bit++) {
                network[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
            }
        }

        /**
         * Reads {@code 10.0.0.0/8}, {@code ::1/128} or a bare address.
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public static Cidr parse(String text) {
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!address.matches("[0-9A-Fa-f:.]+") || !(address.contains(".") || address.contains(":"))) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(trimmed.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
                }
            }
            return new Cidr(bytes, prefix);
        }

        /** Whether {@code address} is in the range (an address of the other family never is). */
        public boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr cidr && cidr.prefix == prefix && java.util.Arrays.equals(cidr.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Whether this range holds IPv4 addresses. */
        public boolean ipv4() {
            return network.length == 4;
        }
    }

    /** Every range blocked by default, for the documentation and tests. */
    public static List<String> blockedRanges() {
        List<String> ranges = new ArrayList<>();
        BLOCKED.forEach(b -> ranges.add(b.range().toString()));
        return ranges;
    }
}
