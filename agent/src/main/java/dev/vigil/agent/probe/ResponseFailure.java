package dev.vigil.agent.probe;

import dev.vigil.protocol.Outcome;
import java.util.Objects;

/**
 * Why an HTTP response fails its check: the outcome, a detail naming the URL and the reason, and
 * whether a regular expression decided it (blackbox_exporter's {@code probe_failed_due_to_regex}).
 *
 * @param outcome    never {@link Outcome#OK}
 * @param detail     what was wrong and where
 * @param dueToRegex whether a body or header expression failed
 */
record ResponseFailure(Outcome outcome, String detail, boolean dueToRegex) {

    ResponseFailure {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
        if (outcome == Outcome.OK) {
            throw new IllegalArgumentException("a failure needs an outcome other than OK");
        }
    }

    static ResponseFailure of(Outcome outcome, String detail) {
        return new ResponseFailure(outcome, detail, false);
    }
}
