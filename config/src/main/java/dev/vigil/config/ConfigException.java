package dev.vigil.config;

/** A configuration error; the message names the field, the value and the file position. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error described by {@code message}. */
    public ConfigException(String message) {
        super(message);
    }

    /** An error described by {@code message}, caused by {@code cause}. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
