package dev.vigil.config.check;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of a TCP check's dialogue, done in this order: wait for a line, send, upgrade to TLS.
 *
 * @param expect   read lines until one matches (find); the connection closing first fails the check
 *                 with {@code ASSERTION_FAILED}. {@code $1}, {@code ${1}}, {@code $name} in this
 *                 step's or a later {@code send} refer to this match's groups (see {@link SendTemplate})
 * @param send     text to send, a {@link SendTemplate}; a line break ({@code \n}) is added
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

    /** A step that waits for a line matching {@code regex}. */
    public static TcpStep expect(String regex) {
        return new TcpStep(Optional.of(Pattern.compile(regex)), Optional.empty(), false);
    }

    /** A step that sends {@code text} and a line break. */
    public static TcpStep send(String text) {
        return new TcpStep(Optional.empty(), Optional.of(text), false);
    }

    /** This step, sending {@code text} and a line break after its expect. */
    public TcpStep thenSend(String text) {
        return new TcpStep(expect, Optional.of(text), startTls);
    }

    /** This step, upgrading the connection to TLS at its end. */
    public TcpStep thenStartTls() {
        return new TcpStep(expect, send, true);
    }
}
