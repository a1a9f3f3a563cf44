package dev.vigil.protocol;

import java.util.Objects;

/**
 * A batch record whose framing was sound but whose sample could not be decoded. The rest of the batch
 * is unaffected.
 *
 * @param journalIndex the record's index in the agent's journal
 * @param message      what is wrong, naming the field and byte
 * @param retryable    true when only the outcome code is unknown: the sender is newer, not wrong
 */
public record InvalidRecord(long journalIndex, String message, boolean retryable) {

    /** Validates presence. */
    public InvalidRecord {
        Objects.requireNonNull(message, "message");
    }
}
