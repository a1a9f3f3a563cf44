package dev.vigil.collector.evidence;

import dev.vigil.collector.state.CheckKey;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Sample;
import java.util.Objects;

/**
 * One sample that carried evidence, as the index keeps it.
 *
 * @param key          the check location
 * @param journalIndex the index of the sample's entry in the collector's journal, which orders entries
 *                     the same way live and on replay
 * @param sample       the sample, with its evidence
 */
public record EvidenceEntry(CheckKey key, long journalIndex, Sample sample) {

    /** Validates presence and that the sample carries evidence. */
    public EvidenceEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sample, "sample");
        if (sample.evidence().isEmpty()) {
            throw new IllegalArgumentException("sample of " + key.id() + " at " + sample.scheduledEpochMillis()
                    + " carries no evidence");
        }
    }

    /** The evidence. */
    public Evidence evidence() {
        return sample.evidence().orElseThrow();
    }

    /** When the sample was scheduled, milliseconds since the epoch. */
    public long atEpochMillis() {
        return sample.scheduledEpochMillis();
    }

    /**
     * Whether {@code other} shows the same failure: same outcome, status, status line, error and remote
     * address. A location keeps only entries that differ from the one before.
     */
    boolean sameFailureAs(EvidenceEntry other) {
        Evidence mine = evidence();
        Evidence theirs = other.evidence();
        return sample.outcome() == other.sample.outcome() && sample.statusCode() == other.sample.statusCode()
                && sample.detail().equals(other.sample.detail()) && mine.statusLine().equals(theirs.statusLine())
                && mine.error().equals(theirs.error()) && mine.remoteAddress().equals(theirs.remoteAddress());
    }
}
