package dev.vigil.agent.probe;

import dev.vigil.config.check.TlsSettings;
import dev.vigil.protocol.Outcome;
import java.util.Locale;

/**
 * Says why a TLS handshake failed, in a probe's terms, from the exception it failed with and the
 * check's settings: no version in common, a client certificate missing or refused. Refusals of the
 * server's chain arrive already explained by {@link ExplainingTrustManager}.
 */
final class TlsFailure {
    private TlsFailure() {
    }

    /**
     * Ends {@code run}, whose TLS handshake failed with {@code failure}: as {@link Outcome#TLS_FAILED}
     * with the explained reason when TLS itself failed, otherwise as the failure means in the
     * handshake phase (the peer closing or resetting the connection).
     */
    static void fail(ProbeRun run, Throwable failure, TlsSettings settings) {
        run.evidence().failure(failure);
        if (FailureClassifier.classify(failure, ProbeRun.Phase.HANDSHAKING) == Outcome.TLS_FAILED) {
            run.finish(Outcome.TLS_FAILED, "TLS handshake with " + run.target() + " failed: "
                    + explain(failure, settings));
        } else {
            run.fail(failure);
        }
    }

    /** The reason {@code failure} gives, reworded where the JSSE's wording needs the settings to be understood. */
    static String explain(Throwable failure, TlsSettings settings) {
        String reason = FailureClassifier.describe(failure);
        String lower = reason.toLowerCase(Locale.ROOT);
        String offered = settings.minVersion() == settings.maxVersion()
                ? settings.minVersion().toString()
                : settings.minVersion() + " to " + settings.maxVersion();
        if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")
                || lower.contains("protocol is disabled") || lower.contains("not enabled or supported")) {
            return "no TLS version in common: the probe offers " + offered + " (" + reason + ")";
        }
        if (lower.contains("alert: certificate_required")
                || (settings.certFile().isEmpty() && lower.contains("alert: bad_certificate"))) {
            return "the server requires a client certificate"
                    + (settings.certFile().isPresent() ? "" : "; the check has no cert_file") + " (" + reason + ")";
        }
        if (settings.certFile().isPresent() && (lower.contains("alert: bad_certificate")
                || lower.contains("alert: unknown_ca") || lower.contains("alert: certificate_unknown")
                || lower.contains("alert: access_denied"))) {
            return "the server refused the client certificate " + settings.certFile().get() + " (" + reason + ")";
        }
        return reason;
    }
}
