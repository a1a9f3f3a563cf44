package dev.vigil.protocol;

import java.util.Objects;

/**
 * A record the collector refused for good: it is settled, so the agent counts it and never sends it
 * again.
 *
 * @param journalIndex the record's index in the agent's journal
 * @param reason       why
 * @param message      the detail, naming the value that was wrong
 */
public record Rejection(long journalIndex, RejectionReason reason, String message) {

    /** Validates presence. */
    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }
}
