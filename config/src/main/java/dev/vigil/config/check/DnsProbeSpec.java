package dev.vigil.config.check;

import java.net.IDN;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a DNS check: one query to one server, over a new socket each run.
 *
 * @param server           the name server: a DNS name or an IP literal (IPv6 without brackets)
 * @param port             1..65535, {@value #DEFAULT_PORT} by default
 * @param queryName        the name asked about: labels of 1..63 characters, at most 253 characters
 *                         without the final dot; {@code .} asks about the root
 * @param queryType        the record type asked for
 * @param transport        UDP or TCP
 * @param recursionDesired whether the RD bit is set
 * @param validRcodes      the response codes that count as success, at least one; otherwise
 *                         {@code STATUS_MISMATCH}
 * @param answer           conditions on the answer section
 * @param authority        conditions on the authority section
 * @param additional       conditions on the additional section
 * @param network          address family, source address and the name servers used to find {@code server}
 */
public record DnsProbeSpec(
        String server,
        int port,
        String queryName,
        DnsRecordType queryType,
        DnsTransport transport,
        boolean recursionDesired,
        Set<DnsRcode> validRcodes,
        DnsRecordChecks answer,
        DnsRecordChecks authority,
        DnsRecordChecks additional,
        NetworkSettings network) implements ProbeSpec {

    /** The DNS port, used when {@code server} names none. */
    public static final int DEFAULT_PORT = 53;

    private static final int MAX_NAME_CHARS = 253;
    private static final int MAX_LABEL_CHARS = 63;

    /** Validates the server, port and name, and copies the set. */
    public DnsProbeSpec {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(queryName, "queryName");
        Objects.requireNonNull(queryType, "queryType");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(additional, "additional");
        Objects.requireNonNull(network, "network");
        validRcodes = Set.copyOf(validRcodes);
        if (server.isBlank()) {
            throw new IllegalArgumentException("server must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535 (was " + port + ")");
        }
        if (queryName.isBlank()) {
            throw new IllegalArgumentException("query_name must not be empty");
        }
        Optional<String> nameProblem = nameProblem(queryName);
        if (nameProblem.isPresent()) {
            throw new IllegalArgumentException("query_name " + nameProblem.get());
        }
        if (validRcodes.isEmpty()) {
            throw new IllegalArgumentException("valid_rcodes must list at least one code");
        }
    }

    /**
     * A query for {@code queryType} records of {@code queryName} to {@code server:port} over UDP, with
     * recursion desired, NOERROR the only valid code, no record checks and the default network settings.
     */
    public static DnsProbeSpec query(String server, int port, String queryName, DnsRecordType queryType) {
        return new DnsProbeSpec(server, port, queryName, queryType, DnsTransport.UDP, true, Set.of(DnsRcode.NOERROR),
                DnsRecordChecks.NONE, DnsRecordChecks.NONE, DnsRecordChecks.NONE, NetworkSettings.DEFAULT);
    }

    /** This query sent over {@code transport}. */
    public DnsProbeSpec withTransport(DnsTransport transport) {
        return new DnsProbeSpec(server, port, queryName, queryType, transport, recursionDesired, validRcodes, answer,
                authority, additional, network);
    }

    /** This query with the RD bit set or not. */
    public DnsProbeSpec withRecursionDesired(boolean recursionDesired) {
        return new DnsProbeSpec(server, port, queryName, queryType, transport, recursionDesired, validRcodes, answer,
                authority, additional, network);
    }

    /** This query, accepting {@code validRcodes}. */
    public DnsProbeSpec withValidRcodes(Set<DnsRcode> validRcodes) {
        return new DnsProbeSpec(server, port, queryName, queryType, transport, recursionDesired, validRcodes, answer,
                authority, additional, network);
    }

    /** This query with these conditions on the answer, authority and additional sections. */
    public DnsProbeSpec withChecks(DnsRecordChecks answer, DnsRecordChecks authority, DnsRecordChecks additional) {
        return new DnsProbeSpec(server, port, queryName, queryType, transport, recursionDesired, validRcodes, answer,
                authority, additional, network);
    }

    /** This query with {@code network}'s family policy, source address and name servers. */
    public DnsProbeSpec withNetwork(NetworkSettings network) {
        return new DnsProbeSpec(server, port, queryName, queryType, transport, recursionDesired, validRcodes, answer,
                authority, additional, network);
    }

    @Override
    public ProbeType type() {
        return ProbeType.DNS;
    }

    /**
     * What keeps {@code name} from being sent as a query name, worded to follow the field's name
     * ({@code must not have an empty label (was 'a..b')}); empty when it can be sent.
     */
    static Optional<String> nameProblem(String name) {
        if (name.equals(".")) {
            return Optional.empty();
        }
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        String ascii;
        try {
            // What Netty puts on the wire: an internationalised name in its ASCII (punycode) form.
            ascii = bare.chars().allMatch(c -> c < 0x80) ? bare : IDN.toASCII(bare);
        } catch (IllegalArgumentException e) {
            return Optional.of("is not a valid DNS name: " + e.getMessage() + " (was '" + name + "')");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty()) {
                return Optional.of("must not have an empty label (was '" + name + "')");
            }
            if (label.length() > MAX_LABEL_CHARS) {
                return Optional.of("must have labels of at most " + MAX_LABEL_CHARS + " characters (was '" + label
                        + "', " + label.length() + ")");
            }
        }
        if (ascii.length() > MAX_NAME_CHARS) {
            return Optional.of("must be at most " + MAX_NAME_CHARS + " characters long (was " + ascii.length() + ")");
        }
        return Optional.empty();
    }
}
