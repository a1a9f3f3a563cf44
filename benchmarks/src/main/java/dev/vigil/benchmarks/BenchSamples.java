package dev.vigil.benchmarks;

import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;

/** A fixed, varied set of samples: 100 checks, mostly successes, some failures with details. */
final class BenchSamples {
    static final int COUNT = 1_000;

    /**
     * Where {@link #nextRun} starts: an hour ago, well inside the collector's clock-skew bounds for the
     * minutes a benchmark runs.
     */
    private static final long RUNS_START_MILLIS = System.currentTimeMillis() - 3_600_000L;

    private BenchSamples() {
    }

    /**
     * {@code template} as the {@code n}-th run of a live agent: scheduled 1 ms after the previous run of
     * its check, so the collector applies every sample (none is out of order or misdated) instead of
     * journaling repeats it keeps out of the figures.
     */
    static Sample nextRun(Sample template, long n) {
        return new Sample(template.checkId(), RUNS_START_MILLIS + n / 100, template.startLagNanos(),
                template.outcome(), template.dnsNanos(), template.connectNanos(), template.tlsNanos(),
                template.firstByteNanos(), template.totalNanos(), template.statusCode(), template.detail());
    }

    static Sample[] create() {
        Sample[] samples = new Sample[COUNT];
        long scheduled = 1_780_000_000_000L;
        for (int i = 0; i < COUNT; i++) {
            boolean failed = i % 37 == 0;
            samples[i] = new Sample("check-" + (i % 100), scheduled + i * 10L, 15_000 + i, failed ? Outcome.TIMEOUT : Outcome.OK,
                    Sample.NOT_MEASURED, 40_000 + i, Sample.NOT_MEASURED, failed ? Sample.NOT_MEASURED : 300_000 + i * 7L,
                    failed ? 2_000_000_000L : 450_000 + i * 11L, failed ? 0 : 200, failed ? "no response within 2s" : "");
        }
        return samples;
    }
}
