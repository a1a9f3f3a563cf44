package dev.vigil.protocol;

/**
 * A sample that is well formed except for an outcome code this side does not know: the sender is a
 * newer version. Not the sample's fault, so it is kept and retried rather than refused for good.
 */
public final class UnknownOutcomeException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /** An unknown outcome described by {@code message}. */
    public UnknownOutcomeException(String message) {
        super(message);
    }
}
