package dev.vigil.agent.blackbox;

import dev.vigil.config.check.ProbeSpec;
import dev.vigil.agent.probe.ProbeFact;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.Optional;

/**
 * The plain-text account of one run that {@code /probe?debug=true} returns instead of the metrics,
 * laid out as blackbox_exporter's: the run's log, the metrics that would have been returned, and the
 * module's settings (here as the Vigil probe runs them).
 */
final class DebugReport {
    private DebugReport() {
    }

    /**
     * The report of a run of {@code module} against {@code target} with {@code timeout}, probing with
     * {@code spec} (empty when the target could not be used), that ended with {@code result} and
     * rendered as {@code metrics}.
     */
    static String render(BlackboxModule module, String target, Duration timeout, Optional<ProbeSpec> spec,
            ProbeResult result, double durationSeconds, String metrics) {
        String prefix = "module=" + quote(module.name()) + " target=" + quote(target) + " ";
        StringBuilder text = new StringBuilder("Logs for the probe:\n");
        text.append(prefix).append("level=info msg=\"Beginning probe\" probe=").append(module.prober())
                .append(" timeout_seconds=").append(timeout.toNanos() / 1e9).append('\n');
        spec.ifPresent(settings -> text.append(prefix).append("level=info msg=\"Vigil probe\" spec=")
                .append(quote(settings.toString())).append('\n'));
        text.append(prefix).append("level=info msg=\"Phases\"")
                .append(" dns_seconds=").append(seconds(result.dnsNanos()))
                .append(" connect_seconds=").append(seconds(result.connectNanos()))
                .append(" tls_seconds=").append(seconds(result.tlsNanos()))
                .append(" first_byte_seconds=").append(seconds(result.firstByteNanos()))
                .append(" total_seconds=").append(result.totalNanos() / 1e9);
        if (result.statusCode() != 0) {
            text.append(" status_code=").append(result.statusCode());
        }
        text.append('\n');
        for (ProbeFact fact : result.facts()) {
            text.append(prefix).append("level=debug msg=\"Fact\" name=").append(fact.name())
                    .append(ProbeExposition.labels(fact.labels())).append(" value=")
                    .append(ProbeExposition.number(fact.value())).append('\n');
        }
        if (result.outcome() == Outcome.OK) {
            text.append(prefix).append("level=info msg=\"Probe succeeded\" outcome=OK duration_seconds=")
                    .append(durationSeconds).append('\n');
        } else {
            text.append(prefix).append("level=error msg=\"Probe failed\" outcome=").append(result.outcome())
                    .append(" detail=").append(quote(result.detail()))
                    .append(" duration_seconds=").append(durationSeconds).append('\n');
        }
        text.append("\n\n\nMetrics that would have been returned:\n").append(metrics);
        text.append("\n\n\nModule configuration:\n")
                .append("prober: ").append(module.prober()).append('\n')
                .append("timeout: ").append(module.timeout().isZero() ? "0s" : module.timeout().toNanos() / 1e9 + "s")
                .append('\n');
        module.prototype().ifPresent(prototype -> text.append("vigil_probe: ").append(prototype).append('\n'));
        return text.toString();
    }

    private static String seconds(long nanos) {
        return nanos == Sample.NOT_MEASURED ? "none" : Double.toString(nanos / 1e9);
    }

    private static String quote(String text) {
        return "\"" + ProbeExposition.escape(text) + "\"";
    }
}
