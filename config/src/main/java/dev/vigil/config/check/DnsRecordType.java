package dev.vigil.config.check;

/** The record types a DNS check can ask for. */
public enum DnsRecordType {
    /** IPv4 address. */
    A(1),
    /** Name server. */
    NS(2),
    /** Canonical name. */
    CNAME(5),
    /** Start of authority. */
    SOA(6),
    /** Reverse pointer. */
    PTR(12),
    /** Mail exchanger. */
    MX(15),
    /** Text. */
    TXT(16),
    /** IPv6 address. */
    AAAA(28),
    /** Service locator. */
    SRV(33);

    private final int code;

    DnsRecordType(int code) {
        this.code = code;
    }

    /** The type's number on the wire (RFC 1035 and successors). */
    public int code() {
        return code;
    }
}
