package dev.vigil.benchmarks;

import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;

/** A fixed, varied set of samples: 100 checks, mostly successes, some failures with details. */
final class BenchSamples {
    static final int COUNT = 1_000;

    private BenchSamples() {
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
