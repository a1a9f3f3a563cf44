package dev.vigil.collector;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock a test sets by hand, shared across threads: the test's and the collector's event loop. */
public final class TestClock implements InstantSource {
    private volatile long epochMillis;

    public TestClock(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    public void set(long epochMillis) {
        this.epochMillis = epochMillis;
    }

    public void advance(Duration duration) {
        epochMillis += duration.toMillis();
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
