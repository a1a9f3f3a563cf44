package dev.vigil.config.check;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A condition on a response header.
 *
 * @param name         the header name, matched case-insensitively
 * @param pattern      matched against each value of the header (find, not full match)
 * @param mustMatch    true: fail unless a value matches; false: fail if any value matches
 * @param allowMissing whether a missing header passes (it fails otherwise)
 */
public record HeaderAssertion(String name, Pattern pattern, boolean mustMatch, boolean allowMissing) {

    /** Checks for nulls. */
    public HeaderAssertion {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pattern, "pattern");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
    }
}
