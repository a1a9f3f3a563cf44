package dev.vigil.collector.incident.delivery;

/** A sink request refused before any connection: its address is blocked by the {@link EgressPolicy}. */
public final class EgressDeniedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** An exception saying why. */
    public EgressDeniedException(String message) {
        super(message, null, false, false);
    }
}
