package dev.vigil.config.check;

import java.util.Objects;

/**
 * One request header an HTTP check sends.
 *
 * @param name  a header name (an HTTP token)
 * @param value the value, sent as is
 */
public record HttpHeader(String name, String value) {

    /** Validates that the name is a token and the value has no line breaks. */
    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("header name '" + name + "' is not a valid HTTP token");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + " must not contain a line break");
        }
    }
}
