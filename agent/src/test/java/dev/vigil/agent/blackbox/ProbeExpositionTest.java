package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.probe.ProbeFact;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeExpositionTest {

    @Test
    void writesTheRunAsBlackboxExportersGaugesWithFactsOverridingWhatTheResultImplies() {
        ProbeResult result = new ProbeResult(Outcome.OK, 2_000_000, 1_000_000, Sample.NOT_MEASURED, 3_000_000,
                7_000_000, 200, "", List.of(ProbeFact.of("probe_http_status_code", 204),
                        ProbeFact.of("probe_http_duration_seconds", "phase", "transfer", 0.004),
                        ProbeFact.of("probe_ip_protocol", 6)));

        String text = ProbeExposition.render("http", result, 0.25);

        Exposition metrics = Exposition.parse(text);
        assertThat(metrics.value("probe_success")).isEqualTo(1);
        assertThat(metrics.value("probe_duration_seconds")).isEqualTo(0.25);
        assertThat(metrics.value("probe_dns_lookup_time_seconds")).isEqualTo(0.002);
        assertThat(metrics.value("probe_http_duration_seconds{phase=\"resolve\"}")).isEqualTo(0.002);
        assertThat(metrics.value("probe_http_duration_seconds{phase=\"connect\"}")).isEqualTo(0.001);
        assertThat(metrics.value("probe_http_duration_seconds{phase=\"tls\"}")).isZero();
        assertThat(metrics.value("probe_http_duration_seconds{phase=\"processing\"}")).isEqualTo(0.003);
        assertThat(metrics.value("probe_http_duration_seconds{phase=\"transfer\"}")).isEqualTo(0.004);
        assertThat(metrics.value("probe_http_status_code")).isEqualTo(204);
        assertThat(metrics.value("probe_ip_protocol")).isEqualTo(6);
        assertThat(metrics.value("probe_vigil_outcome{outcome=\"OK\"}")).isEqualTo(1);
        assertThat(text).contains("# HELP probe_http_duration_seconds Duration of http request by phase, summed over"
                + " all redirects\n# TYPE probe_http_duration_seconds gauge\n"
                + "probe_http_duration_seconds{phase=\"connect\"} 0.001\n");
        assertThat(metrics.names()).containsExactly("probe_dns_lookup_time_seconds", "probe_duration_seconds",
                "probe_failed_due_to_regex", "probe_http_content_length", "probe_http_duration_seconds",
                "probe_http_redirects", "probe_http_ssl", "probe_http_status_code",
                "probe_http_uncompressed_body_length", "probe_http_version", "probe_ip_addr_hash",
                "probe_ip_protocol", "probe_success", "probe_vigil_outcome");
    }

    @Test
    void escapesLabelValuesAndGroupsSeriesUnderOneHeader() {
        ProbeResult result = new ProbeResult(Outcome.CONNECT_REFUSED, Sample.NOT_MEASURED, Sample.NOT_MEASURED,
                Sample.NOT_MEASURED, Sample.NOT_MEASURED, 1, 0, "refused", List.of(
                        new ProbeFact("probe_ssl_last_chain_info", Map.of("subject", "CN=a \"b\"\\c\nd",
                                "issuer", "CN=ca"), 1),
                        new ProbeFact("probe_ssl_last_chain_info", Map.of("subject", "CN=z", "issuer", "CN=ca"), 1)));

        String text = ProbeExposition.render("tcp", result, 0.001);

        assertThat(text).contains("# TYPE probe_ssl_last_chain_info gauge\n"
                + "probe_ssl_last_chain_info{issuer=\"CN=ca\",subject=\"CN=a \\\"b\\\"\\\\c\\nd\"} 1\n"
                + "probe_ssl_last_chain_info{issuer=\"CN=ca\",subject=\"CN=z\"} 1\n");
        assertThat(text.split("# TYPE probe_ssl_last_chain_info", -1)).hasSize(2);
        assertThat(text).contains("probe_success 0\n", "probe_vigil_outcome{outcome=\"CONNECT_REFUSED\"} 1\n",
                "probe_failed_due_to_regex 0\n");
    }

    @Test
    void writesNumbersAsTheTextFormatReadsThem() {
        assertThat(ProbeExposition.number(3.668918509e9)).isEqualTo("3668918509");
        assertThat(ProbeExposition.number(1.6996e-05)).isEqualTo("1.6996E-5");
        assertThat(ProbeExposition.number(Double.NaN)).isEqualTo("NaN");
        assertThat(ProbeExposition.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }
}
