package dev.vigil.protocol;

import java.util.Locale;

/** Why an agent could not deliver samples it took; see {@link Gap}. Codes are never renumbered. */
public enum GapReason {
    /** Journaled, then deleted unacknowledged because the journal reached its disk budget. */
    DISK_BUDGET(1),
    /** Never journaled: no room on the disk, the journal failed, or the journal thread was behind. */
    NOT_JOURNALED(2),
    /** Journaled, but the excerpt could not be read back as a sample. */
    UNREADABLE(3),
    /** Sent on its own and refused by the collector as malformed (400). */
    MALFORMED(4);

    private final int code;

    GapReason(int code) {
        this.code = code;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** The metric label value, e.g. {@code disk_budget}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reason with wire code {@code code}.
     *
     * @throws ProtocolException when none has it
     */
    public static GapReason ofCode(int code) {
        for (GapReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        throw new ProtocolException("unknown gap reason " + code);
    }
}
