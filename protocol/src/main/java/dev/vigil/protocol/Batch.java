package dev.vigil.protocol;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One decoded ingest request: an agent's records and drop notices from one journal epoch.
 *
 * @param epoch    the agent journal's epoch, &gt; 0; journal indexes are unique within it
 * @param instance the agent's durable instance id
 * @param gaps     drop notices, in increasing sequence order
 * @param records  the samples that decoded, in increasing journal index order
 * @param invalid  the records whose samples did not decode, in increasing journal index order
 */
public record Batch(long epoch, UUID instance, List<Gap> gaps, List<SampleRecord> records,
        List<InvalidRecord> invalid) {

    /** Copies the lists and validates the epoch. */
    public Batch {
        Objects.requireNonNull(instance, "instance");
        gaps = List.copyOf(gaps);
        records = List.copyOf(records);
        invalid = List.copyOf(invalid);
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0 (was " + epoch + ")");
        }
    }
}
