package dev.vigil.agent.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of a TCP check's dialogue, done in this order: wait for a line, send, upgrade to TLS.
 *
 * @param expect   read lines until one matches (find); the connection closing first fails the check
 *                 with {@code ASSERTION_FAILED}. {@code ${1}}, {@code ${name}} in a later {@code send}
 *                 refer to this match's groups
 * @param send     text to send; a line break is added
 * @param startTls upgrade the connection to TLS after this step (STARTTLS)
 */
public record TcpStep(Optional<Pattern> expect, Optional<String> send, boolean startTls) {

    /** Checks for nulls and that the step does something. */
    public TcpStep {
        Objects.requireNonNull(expect, "expect");
        Objects.requireNonNull(send, "send");
        if (expect.isEmpty() && send.isEmpty() && !startTls) {
            throw new IllegalArgumentException("a dialogue step needs expect, send or starttls");
        }
    }
}
