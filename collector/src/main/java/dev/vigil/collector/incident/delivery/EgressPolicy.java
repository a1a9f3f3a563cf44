package dev.vigil.collector.incident.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which addresses sinks may connect to: a guard against server-side request forgery, since sink URLs
 * come from configuration and the catalogue API. Loopback, private (RFC 1918), link-local (and so the
 * cloud metadata address 169.254.169.254), CGNAT (100.64/10, where Alibaba's metadata 100.100.100.200
 * lives), unique-local IPv6 (fc00::/7, AWS's fd00:ec2::254), unspecified, multicast, broadcast and
 * reserved ranges are blocked; an explicit allow-list opens some of them again. IPv6 addresses that
 * carry an IPv4 address (IPv4-mapped, NAT64, 6to4) are judged by the IPv4 address they carry as well.
 * The policy is pure: it judges addresses, it never resolves names.
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
            // IPv4-compatible addresses (::a.b.c.d) are deprecated; nothing legitimate is reached by them.
            new Blocked(Cidr.parse("::/96"), "an IPv4-compatible address"),
            new Blocked(Cidr.parse("fc00::/7"), "a unique-local address"),
            new Blocked(Cidr.parse("fe80::/10"), "a link-local address"),
            new Blocked(Cidr.parse("fec0::/10"), "a site-local address"),
            new Blocked(Cidr.parse("ff00::/8"), "a multicast address"));
    // Built from bytes: InetAddress turns the text form of an IPv4-mapped address into an IPv4 address.
    private static final Cidr MAPPED = new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff,
        0, 0, 0, 0}, 96);
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr LOCAL_NAT64 = Cidr.parse("64:ff9b:1::/48");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    /** Copies. */
    public EgressPolicy {
        allowed = List.copyOf(allowed);
    }

    /** Why a connection to {@code address} is refused, or empty when it is allowed. */
    public Optional<String> denies(InetAddress address) {
        Objects.requireNonNull(address, "address");
        Optional<InetAddress> carried = embeddedIpv4(address);
        if (opened(address) || carried.filter(this::opened).isPresent()) {
            return Optional.empty();
        }
        for (InetAddress judged : carried.isPresent() ? List.of(address, carried.get()) : List.of(address)) {
            for (Blocked blocked : BLOCKED) {
                if (blocked.range().contains(judged)) {
                    String via = judged == address ? "" : " (it carries " + judged.getHostAddress() + ")";
                    return Optional.of(address.getHostAddress() + " is " + blocked.what() + via
                            + ", blocked for sinks unless listed in incidents.egress.allow");
                }
            }
        }
        return Optional.empty();
    }

    private boolean opened(InetAddress address) {
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The IPv4 address an IPv6 address carries: the last four bytes of an IPv4-mapped or NAT64 address,
     * bytes 2..5 of a 6to4 one. (The JDK already turns most IPv4-mapped addresses into
     * {@link Inet4Address}es; an {@link Inet6Address} made with a scope keeps the mapped form.)
     */
    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        byte[] v4;
        if (MAPPED.contains(address) || NAT64.contains(address) || LOCAL_NAT64.contains(address)) {
            v4 = Arrays.copyOfRange(bytes, 12, 16);
        } else if (SIX_TO_FOUR.contains(address)) {
            v4 = Arrays.copyOfRange(bytes, 2, 6);
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** Every range blocked by default, for the documentation and tests. */
    public static List<String> blockedRanges() {
        List<String> ranges = new ArrayList<>();
        BLOCKED.forEach(b -> ranges.add(b.range().toString()));
        return ranges;
    }

    private record Blocked(Cidr range, String what) {
    }

    /**
     * An address range, {@code <address>/<prefix length>}, IPv4 or IPv6; a bare address is a range of one.
     *
     * @param network the range's first address bytes (4 or 16); the accessor returns a copy
     * @param prefix  the prefix length, 0..32 or 0..128
     */
    public record Cidr(byte[] network, int prefix) {
        private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
        private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

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
         * Reads {@code 10.0.0.0/8}, {@code fd00::/8} or a bare address. Never resolves a name: text that is
         * not an address literal is an error.
         *
         * @throws IllegalArgumentException naming the text and what is wrong with it
         */
        public static Cidr parse(String text) {
            Objects.requireNonNull(text, "text");
            String trimmed = text.trim();
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            byte[] bytes = address.contains(":") ? ipv6(address, text) : ipv4(address, text);
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                String length = trimmed.substring(slash + 1);
                if (!length.matches("\\d{1,3}")) {
                    throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
                }
                prefix = Integer.parseInt(length);
                if (prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("'" + text + "' has a prefix length above "
                            + bytes.length * 8 + ", the most for an IPv" + (bytes.length == 4 ? 4 : 6) + " address");
                }
            }
            return new Cidr(bytes, prefix);
        }

        private static byte[] ipv4(String address, String text) {
            var matcher = IPV4.matcher(address);
            if (!matcher.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(matcher.group(i + 1));
                if (part > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range ("
                            + part + " is above 255)");
                }
                bytes[i] = (byte) part;
            }
            return bytes;
        }

        private static byte[] ipv6(String address, String text) {
            if (!IPV6.matcher(address).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
            }
            InetAddress parsed;
            try {
                // A literal with ':' is parsed, never looked up.
                parsed = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range");
            }
            byte[] bytes = parsed.getAddress();
            if (bytes.length == 4) {
                // The JDK turns ::ffff:a.b.c.d into an IPv4 address; the range was written in IPv6 terms.
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        }

        /** A copy of the range's first address bytes. */
        @Override
        public byte[] network() {
            return network.clone();
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

        /** Whether this range holds IPv4 addresses. */
        public boolean ipv4() {
            return network.length == 4;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr cidr && cidr.prefix == prefix && Arrays.equals(cidr.network, network);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            try {
                // Inet6Address keeps an IPv4-mapped range in IPv6 form, where InetAddress would shorten it.
                InetAddress first = network.length == 4 ? InetAddress.getByAddress(network)
                        : Inet6Address.getByAddress(null, network, -1);
                return first.getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 or 16 bytes are always an address", e);
            }
        }
    }
}
