package dev.vigil.agent.probe;

import dev.vigil.protocol.Sample;

/**
 * blackbox_exporter's {@code probe_http_duration_seconds} phases of one HTTP run, summed over its
 * hops as blackbox_exporter sums them over redirects: {@code resolve}, {@code connect} (with a
 * proxy's tunnel), {@code tls}, {@code processing} (connection ready to first response byte) and
 * {@code transfer} (first byte to the end of the body). A phase a hop did not reach adds nothing.
 */
final class HttpTimings {
    private long resolveNanos;
    private long connectNanos;
    private long tlsNanos;
    private long processingNanos;
    private long transferNanos;

    /**
     * Adds one hop: its DNS, connect and TLS times (each possibly {@link Sample#NOT_MEASURED}) and
     * the {@code System.nanoTime} instants its connection was ready, its first response byte came and
     * its response ended ({@link HttpExchange#UNSET} where not reached).
     */
    void add(long dns, long connect, long tls, long readyAt, long firstByteAt, long endAt) {
        resolveNanos += Math.max(0, dns);
        connectNanos += Math.max(0, connect);
        tlsNanos += Math.max(0, tls);
        if (readyAt != HttpExchange.UNSET && firstByteAt != HttpExchange.UNSET) {
            processingNanos += Math.max(0, firstByteAt - readyAt);
            if (endAt != HttpExchange.UNSET) {
                transferNanos += Math.max(0, endAt - firstByteAt);
            }
        }
    }

    /** Records the phases on {@code run} as facts, every phase present (0 when not reached). */
    void record(ProbeRun run) {
        fact(run, "resolve", resolveNanos);
        fact(run, "connect", connectNanos);
        fact(run, "tls", tlsNanos);
        fact(run, "processing", processingNanos);
        fact(run, "transfer", transferNanos);
    }

    private static void fact(ProbeRun run, String phase, long nanos) {
        run.fact(ProbeFact.of("probe_http_duration_seconds", "phase", phase, nanos / 1e9));
    }
}
