package dev.vigil.protocol;

/**
 * What one probe run came to. Every failure has a name, so a failed sample says why it failed.
 *
 * <p>The {@link #code()} is the value written on the wire and in the journals: codes are never
 * reused or renumbered, new outcomes take new codes.
 */
public enum Outcome {
    /** The probe succeeded and every assertion held. */
    OK(0),
    /** The target's name could not be resolved. */
    DNS_FAILED(1),
    /** The target actively refused the connection (TCP RST to the SYN). */
    CONNECT_REFUSED(2),
    /** No connection could be made before the connect part of the timeout ran out. */
    CONNECT_TIMEOUT(3),
    /** The peer reset or closed the connection before the probe completed. */
    CONNECTION_RESET(4),
    /** The TLS handshake failed: untrusted, mismatched or expired certificate, protocol error. */
    TLS_FAILED(5),
    /** Connected, but the whole probe did not complete within its timeout. */
    TIMEOUT(6),
    /** An HTTP response arrived with a status code the check does not accept. */
    STATUS_MISMATCH(7),
    /** The response body did not match (or matched a forbidden) expression. */
    BODY_MISMATCH(8),
    /** The peer spoke something that is not the expected protocol. */
    PROTOCOL_ERROR(9),
    /** The network or host is unreachable (no route). */
    NETWORK_UNREACHABLE(10),
    /** The certificate is valid but expires sooner than the check allows. */
    CERT_EXPIRING(11),
    /** A check-specific assertion failed (header, JSON, expected dialogue). */
    ASSERTION_FAILED(12),
    /** The run could not be started because the agent itself failed; a bug, reported as data. */
    AGENT_ERROR(13),
    /** An HTTP check followed more redirects than it allows, or went round in a loop. */
    TOO_MANY_REDIRECTS(14),
    /** The response body was longer than the check's size limit. */
    BODY_TOO_LARGE(15),
    /** Some echo replies came back, but more were lost than the check allows. */
    PACKET_LOSS(16),
    /** A host measurement (CPU, memory, swap, disk, load) is above the check's threshold. */
    THRESHOLD_EXCEEDED(17),
    /** The agent lacks a privilege the probe needs (raw sockets for ICMP); the message names it. */
    NOT_PERMITTED(18),
    /**
     * The run did not start at its scheduled time because the check's previous run was still going
     * or the agent was paused for longer than an interval. Not a measurement of the target: it
     * neither succeeds nor fails.
     */
    SKIPPED(19);

    private static final Outcome[] BY_CODE;

    static {
        int max = 0;
        for (Outcome outcome : values()) {
            max = Math.max(max, outcome.code);
        }
        BY_CODE = new Outcome[max + 1];
        for (Outcome outcome : values()) {
            BY_CODE[outcome.code] = outcome;
        }
    }

    private final int code;

    Outcome(int code) {
        this.code = code;
    }

    /** The stable wire code of this outcome, 0..255. */
    public int code() {
        return code;
    }

    /** Whether this outcome counts as a successful sample. */
    public boolean isSuccess() {
        return this == OK;
    }

    /** Whether the run measured the target at all; only {@link #SKIPPED} did not. */
    public boolean isMeasurement() {
        return this != SKIPPED;
    }

    /** Whether some outcome has the wire code {@code code}. */
    public static boolean isKnown(int code) {
        return code >= 0 && code < BY_CODE.length && BY_CODE[code] != null;
    }

    /**
     * The outcome with {@code code}.
     *
     * @throws ProtocolException when no outcome has it
     */
    public static Outcome ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            throw new ProtocolException("unknown outcome code " + code);
        }
        return BY_CODE[code];
    }
}
