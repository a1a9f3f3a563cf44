package dev.vigil.config.check;

/** DNS response codes a check may accept (RFC 1035 §4.1.1, RFC 2136). */
public enum DnsRcode {
    /** No error. */
    NOERROR(0),
    /** The server could not interpret the query. */
    FORMERR(1),
    /** The server failed. */
    SERVFAIL(2),
    /** The name does not exist. */
    NXDOMAIN(3),
    /** The server does not do this kind of query. */
    NOTIMP(4),
    /** The server refuses to answer. */
    REFUSED(5),
    /** A name exists that should not. */
    YXDOMAIN(6),
    /** A record set exists that should not. */
    YXRRSET(7),
    /** A record set that should exist does not. */
    NXRRSET(8),
    /** The server is not authoritative for the zone. */
    NOTAUTH(9),
    /** The name is not in the zone. */
    NOTZONE(10);

    private final int code;

    DnsRcode(int code) {
        this.code = code;
    }

    /** The code's number on the wire. */
    public int code() {
        return code;
    }
}
