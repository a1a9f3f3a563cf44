package dev.vigil.collector.sla;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test sets by hand. */
final class ManualClock implements InstantSource {
    private volatile long epochMillis;

    ManualClock(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    void set(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    @Override
    public long millis() {
        return epochMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(epochMillis);
    }
}
