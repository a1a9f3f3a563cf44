package dev.vigil.collector.catalogue;

import java.util.Objects;

/** A change to the catalogue that was refused, and why; the catalogue is unchanged. */
public final class CatalogueRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a change was refused. */
    public enum Reason {
        /** The item is not valid, or names what does not exist. */
        INVALID,
        /** The item to change or delete does not exist. */
        NOT_FOUND,
        /** The item is defined in the YAML file (or built in), which the API does not change. */
        READ_ONLY,
        /** The change would break what other items refer to, or repeats one already made. */
        CONFLICT
    }

    private final Reason reason;

    /** A refusal for {@code reason}, explained by {@code message}. */
    public CatalogueRefusal(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the change was refused. */
    public Reason reason() {
        return reason;
    }
}
