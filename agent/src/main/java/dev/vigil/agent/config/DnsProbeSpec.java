package dev.vigil.agent.config;

import java.util.Objects;
import java.util.Set;

/**
 * The settings of a DNS check: one query to one server, over a new socket each run.
 *
 * @param server           the name server: a DNS name or an IP literal (IPv6 without brackets)
 * @param port             1..65535, 53 by default
 * @param queryName        the name asked about
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
        if (validRcodes.isEmpty()) {
            throw new IllegalArgumentException("valid_rcodes must list at least one code");
        }
    }

    @Override
    public ProbeType type() {
        return ProbeType.DNS;
    }
}
