package dev.vigil.agent.probe;

import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one probe run measured, before it is stamped with its check and scheduled time.
 *
 * @param outcome        how the run ended
 * @param dnsNanos       name resolution time, or {@link Sample#NOT_MEASURED} (IP literal, not reached)
 * @param connectNanos   TCP connect time, or {@link Sample#NOT_MEASURED}
 * @param tlsNanos       TLS handshake time, or {@link Sample#NOT_MEASURED}
 * @param firstByteNanos request written to first response byte, or {@link Sample#NOT_MEASURED}
 * @param totalNanos     from the run's start to its end, ≥ 0
 * @param statusCode     the HTTP status, or 0 when none arrived
 * @param detail         why the run failed, empty on success; cut to {@link Sample#MAX_DETAIL_BYTES}
 * @param facts          what else the run measured (certificate expiry, DNS answer counts, echo
 *                       round trips...), for the {@code /probe} endpoint; not part of the sample
 * @param evidence       what a failed run saw (redacted, bounded), for the sample; empty on success
 *                       or when capture is disabled
 */
public record ProbeResult(
        Outcome outcome,
        long dnsNanos,
        long connectNanos,
        long tlsNanos,
        long firstByteNanos,
        long totalNanos,
        int statusCode,
        String detail,
        List<ProbeFact> facts,
        Optional<Evidence> evidence) {

    /** Validates durations and cuts the detail to fit a sample. */
    public ProbeResult {
        Objects.requireNonNull(outcome, "outcome");
        detail = Sample.withDetail(detail);
        facts = List.copyOf(facts);
        Objects.requireNonNull(evidence, "evidence");
        if (totalNanos < 0) {
            throw new IllegalArgumentException("totalNanos must be >= 0 (was " + totalNanos + ")");
        }
        if (dnsNanos < Sample.NOT_MEASURED || connectNanos < Sample.NOT_MEASURED
                || tlsNanos < Sample.NOT_MEASURED || firstByteNanos < Sample.NOT_MEASURED) {
            throw new IllegalArgumentException("phase durations must be >= 0 or NOT_MEASURED");
        }
    }

    /** A result without evidence. */
    public ProbeResult(Outcome outcome, long dnsNanos, long connectNanos, long tlsNanos, long firstByteNanos,
            long totalNanos, int statusCode, String detail, List<ProbeFact> facts) {
        this(outcome, dnsNanos, connectNanos, tlsNanos, firstByteNanos, totalNanos, statusCode, detail, facts,
                Optional.empty());
    }

    /** A result without facts. */
    public ProbeResult(Outcome outcome, long dnsNanos, long connectNanos, long tlsNanos, long firstByteNanos,
            long totalNanos, int statusCode, String detail) {
        this(outcome, dnsNanos, connectNanos, tlsNanos, firstByteNanos, totalNanos, statusCode, detail, List.of());
    }

    /**
     * This result as the sample of check {@code checkId}, scheduled at {@code scheduledEpochMillis}
     * and started {@code startLagNanos} (≥ 0) after that.
     */
    public Sample toSample(String checkId, long scheduledEpochMillis, long startLagNanos) {
        Sample sample = new Sample(checkId, scheduledEpochMillis, startLagNanos, outcome, dnsNanos, connectNanos,
                tlsNanos, firstByteNanos, totalNanos, statusCode, detail);
        return evidence.map(sample::withEvidence).orElse(sample);
    }
}
