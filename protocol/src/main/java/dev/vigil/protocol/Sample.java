package dev.vigil.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * One probe run: which check, when it was scheduled, how it ended and how long each phase took.
 *
 * @param checkId              the check's id, 1..{@value #MAX_CHECK_ID_BYTES} bytes of UTF-8
 * @param scheduledEpochMillis when the run was scheduled to start, milliseconds since the epoch
 * @param startLagNanos        how late the run actually started after its scheduled time, ≥ 0
 * @param outcome              how the run ended
 * @param dnsNanos             name resolution time, or {@link #NOT_MEASURED}
 * @param connectNanos         TCP connect time, or {@link #NOT_MEASURED}
 * @param tlsNanos             TLS handshake time, or {@link #NOT_MEASURED}
 * @param firstByteNanos       time from request sent to first response byte, or {@link #NOT_MEASURED}
 * @param totalNanos           time from actual start to completion (or failure), ≥ 0
 * @param statusCode           protocol status (HTTP status), or 0 when there is none
 * @param detail               a short human-readable reason for a failure, empty on success,
 *                             at most {@value #MAX_DETAIL_BYTES} bytes of UTF-8
 * @param evidence             what the agent captured of a failing run, for the engineer who looks first
 */
public record Sample(
        String checkId,
        long scheduledEpochMillis,
        long startLagNanos,
        Outcome outcome,
        long dnsNanos,
        long connectNanos,
        long tlsNanos,
        long firstByteNanos,
        long totalNanos,
        int statusCode,
        String detail,
        Optional<Evidence> evidence) {

    /** The value of a phase duration that was not part of the run. */
    public static final long NOT_MEASURED = -1L;
    /** The longest check id, in UTF-8 bytes. */
    public static final int MAX_CHECK_ID_BYTES = 200;
    /** The longest failure detail, in UTF-8 bytes; longer details are cut by {@link #withDetail}. */
    public static final int MAX_DETAIL_BYTES = 512;

    /** Validates every field; the message names the field and the value. */
    public Sample {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(evidence, "evidence");
        int idBytes = Utf8.length(checkId);
        if (idBytes == 0 || idBytes > MAX_CHECK_ID_BYTES) {
            throw new IllegalArgumentException(
                    "checkId must be 1.." + MAX_CHECK_ID_BYTES + " bytes (was " + idBytes + ")");
        }
        if (Utf8.length(detail) > MAX_DETAIL_BYTES) {
            throw new IllegalArgumentException("detail must be at most " + MAX_DETAIL_BYTES + " bytes");
        }
        if (startLagNanos < 0) {
            throw new IllegalArgumentException("startLagNanos must be >= 0 (was " + startLagNanos + ")");
        }
        if (totalNanos < 0) {
            throw new IllegalArgumentException("totalNanos must be >= 0 (was " + totalNanos + ")");
        }
        requirePhase("dnsNanos", dnsNanos);
        requirePhase("connectNanos", connectNanos);
        requirePhase("tlsNanos", tlsNanos);
        requirePhase("firstByteNanos", firstByteNanos);
        if (statusCode < 0 || statusCode > 65535) {
            throw new IllegalArgumentException("statusCode must be 0..65535 (was " + statusCode + ")");
        }
    }

    /** A sample without evidence: what every successful run and most failing ones are. */
    public Sample(String checkId, long scheduledEpochMillis, long startLagNanos, Outcome outcome, long dnsNanos,
            long connectNanos, long tlsNanos, long firstByteNanos, long totalNanos, int statusCode, String detail) {
        this(checkId, scheduledEpochMillis, startLagNanos, outcome, dnsNanos, connectNanos, tlsNanos, firstByteNanos,
                totalNanos, statusCode, detail, Optional.empty());
    }

    /** This sample carrying {@code captured}. */
    public Sample withEvidence(Evidence captured) {
        return new Sample(checkId, scheduledEpochMillis, startLagNanos, outcome, dnsNanos, connectNanos, tlsNanos,
                firstByteNanos, totalNanos, statusCode, detail, Optional.of(captured));
    }

    /** Whether this run counts as a success. */
    public boolean success() {
        return outcome.isSuccess();
    }

    /** Cuts a failure detail to {@link #MAX_DETAIL_BYTES} bytes so it always fits a sample. */
    public static String withDetail(String detail) {
        if (detail == null) {
            return "";
        }
        return Utf8.truncate(detail, MAX_DETAIL_BYTES);
    }

    private static void requirePhase(String name, long nanos) {
        if (nanos < NOT_MEASURED) {
            throw new IllegalArgumentException(name + " must be >= 0 or NOT_MEASURED (was " + nanos + ")");
        }
    }
}
