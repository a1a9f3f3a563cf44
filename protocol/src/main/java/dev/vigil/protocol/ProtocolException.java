package dev.vigil.protocol;

/** Bytes that do not follow the wire format; the message names what is wrong and where. */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A format error described by {@code message}. */
    public ProtocolException(String message) {
        super(message);
    }
}
