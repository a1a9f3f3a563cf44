package dev.vigil.config.check;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A condition on a JSON response body, at one place in it.
 *
 * @param pointer    an RFC 6901 JSON Pointer, e.g. {@code /status} or {@code /checks/0/state};
 *                   {@code ""} is the whole document
 * @param equalsText the value must be this: a string's text, or a number's, boolean's or null's
 *                   JSON text ({@code 3}, {@code true}, {@code null})
 * @param matches    the value's text must match this expression (find)
 *                   <p>With neither {@code equalsText} nor {@code matches}, the value must exist.
 */
public record JsonAssertion(String pointer, Optional<String> equalsText, Optional<Pattern> matches) {

    /** Validates the pointer's form. */
    public JsonAssertion {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(equalsText, "equalsText");
        Objects.requireNonNull(matches, "matches");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("JSON pointer must be empty or start with '/' (was '" + pointer + "')");
        }
    }
}
