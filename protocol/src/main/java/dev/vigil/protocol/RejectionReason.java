package dev.vigil.protocol;

import java.util.Locale;

/** Why the collector refused one record for good; see {@link Rejection}. Codes are never renumbered. */
public enum RejectionReason {
    /** The record's sample is not a valid sample. */
    INVALID(1),
    /** Scheduled further in the future than the collector's clock-skew limit allows. */
    FUTURE(2),
    /** Scheduled further in the past than the collector accepts. */
    TOO_OLD(3);

    private final int code;

    RejectionReason(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The metric label value, e.g. {@code too_old}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reason with wire code {@code code}.
     *
     * @throws ProtocolException when none has it
     */
    public static RejectionReason ofCode(int code) {
        for (RejectionReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new ProtocolException("unknown rejection reason " + code);
    }
}
