package dev.vigil.collector.config;

import java.util.Objects;

/**
 * A credential from the configuration (normally {@code ${ENV_VAR}}, substituted from the environment when
 * the file is read): a routing key, an API key, a password, a chat webhook URL. {@link #toString()} never
 * shows it, so it cannot reach a log line by accident; {@link #reveal()} is called only where a request
 * is built.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * The secret {@code value}.
     *
     * @throws IllegalArgumentException when it is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new IllegalArgumentException("must not be empty (is its environment variable set?)");
        }
        return new Secret(value.trim());
    }

    /** The value itself: for building a request, never for a message. */
    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "Secret[redacted]";
    }
}
