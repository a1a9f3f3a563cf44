package dev.vigil.agent.icmp;

import java.util.Objects;

/**
 * Why an echo request will get no reply.
 *
 * @param kind   what kind of failure it is
 * @param detail what happened and where, for an operator
 */
public record EchoFailure(Kind kind, String detail) {

    /** What kind of failure an echo request met. */
    public enum Kind {
        /** This process may open neither a ping socket nor a raw ICMP socket. */
        NOT_PERMITTED,
        /** ICMP echo cannot work in this agent at all (not Linux, no JNA, closed). */
        UNAVAILABLE,
        /** The destination cannot be reached: an ICMP error, no route, or a send that failed. */
        UNREACHABLE,
        /** The TTL or hop limit ran out on the way; a router said so. */
        TIME_EXCEEDED
    }

    /** Checks for nulls. */
    public EchoFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
