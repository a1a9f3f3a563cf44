package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.BlackboxAgent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's blackbox_exporter and Vigil's {@code /probe} answer for the same module file and the same
 * loopback targets: the verdict ({@code probe_success}) must be the same, and every metric name
 * blackbox_exporter emits must be emitted by Vigil too.
 */
class SideBySideTest {
    /** Scrape timeout sent with every request: both exporters give up after 2.5 s. */
    private static final String SCRAPE_TIMEOUT_SECONDS = "3";
    /**
     * Metric names blackbox_exporter emits that Vigil does not, each with the reason. Empty: Vigil emits
     * every name blackbox_exporter emits for these targets.
     */
    private static final Map<String, String> NAMES_VIGIL_DOES_NOT_EMIT = Map.of();

    @TempDir
    static Path workDir;
    private static LoopbackTargets targets;
    private static RealBlackboxExporter blackbox;
    private static BlackboxAgent vigil;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String moduleFile() {
        return """
                modules:
                  http_2xx:
                    prober: http
                  http_no_redirects:
                    prober: http
                    http:
                      follow_redirects: false
                  http_404_ok:
                    prober: http
                    http:
                      valid_status_codes: [404]
                  http_body:
                    prober: http
                    http:
                      fail_if_body_not_matches_regexp: ["^ok$"]
                  http_body_fails:
                    prober: http
                    http:
                      fail_if_body_matches_regexp: ["ok"]
                  tcp_connect:
                    prober: tcp
                    tcp:
                      preferred_ip_protocol: ip4
                  ssh_banner:
                    prober: tcp
                    tcp:
                      query_response:
                      - expect: "^SSH-2.0-"
                      - send: "SSH-2.0-blackbox-ssh-check"
                  dns_udp:
                    prober: dns
                    dns:
                      query_name: known.vigil.test
                      query_type: A
                  dns_udp_answer:
                    prober: dns
                    dns:
                      query_name: known.vigil.test
                      query_type: A
                      validate_answer_rrs:
                        fail_if_none_matches_regexp: ["192\\\\.0\\\\.2\\\\.7"]
                  dns_udp_wrong_answer:
                    prober: dns
                    dns:
                      query_name: known.vigil.test
                      query_type: A
                      validate_answer_rrs:
                        fail_if_none_matches_regexp: ["198\\\\.51\\\\.100\\\\.1"]
                  dns_nxdomain:
                    prober: dns
                    dns:
                      query_name: missing.vigil.test
                      query_type: A
                  dns_nxdomain_ok:
                    prober: dns
                    dns:
                      query_name: missing.vigil.test
                      query_type: A
                      valid_rcodes: [NXDOMAIN]
                  icmp:
                    prober: icmp
                    icmp:
                      preferred_ip_protocol: ip4
                  icmp6:
                    prober: icmp
                    icmp:
                      preferred_ip_protocol: ip6
                      ip_protocol_fallback: false
                """;
    }

    @BeforeAll
    static void start() throws IOException {
        targets = new LoopbackTargets();
        Path file = workDir.resolve("blackbox.yml");
        Files.writeString(file, moduleFile());
        blackbox = RealBlackboxExporter.start(file, workDir);
        vigil = BlackboxAgent.start(BlackboxConfig.load(file), new InetSocketAddress("127.0.0.1", 0));
    }

    @AfterAll
    static void stop() {
        if (vigil != null) {
            vigil.close();
        }
        if (blackbox != null) {
            blackbox.close();
        }
        if (targets != null) {
            targets.close();
        }
    }

    static Stream<Arguments> probes() {
        String ok = LoopbackTargets.local(targets.ok.port());
        String dns = LoopbackTargets.local(targets.dns.address().getPort());
        return Stream.of(
                Arguments.of("http_2xx", "http://" + ok + "/", 1),
                Arguments.of("http_2xx", ok, 1),
                Arguments.of("http_2xx", "http://" + LoopbackTargets.local(targets.notFound.port()) + "/", 0),
                Arguments.of("http_404_ok", "http://" + LoopbackTargets.local(targets.notFound.port()) + "/", 1),
                Arguments.of("http_2xx", "http://" + LoopbackTargets.local(targets.redirect.port()) + "/", 1),
                Arguments.of("http_no_redirects", "http://" + LoopbackTargets.local(targets.redirect.port()) + "/", 0),
                Arguments.of("http_2xx", "http://" + LoopbackTargets.local(targets.closedPort) + "/", 0),
                Arguments.of("http_body", "http://" + ok + "/", 1),
                Arguments.of("http_body_fails", "http://" + ok + "/", 0),
                Arguments.of("tcp_connect", ok, 1),
                Arguments.of("tcp_connect", LoopbackTargets.local(targets.closedPort), 0),
                Arguments.of("tcp_connect", "127.0.0.1", 0),
                Arguments.of("ssh_banner", LoopbackTargets.local(targets.ssh.port()), 1),
                Arguments.of("ssh_banner", LoopbackTargets.local(targets.smtp.port()), 0),
                Arguments.of("dns_udp", dns, 1),
                Arguments.of("dns_udp_answer", dns, 1),
                Arguments.of("dns_udp_wrong_answer", dns, 0),
                Arguments.of("dns_nxdomain", dns, 0),
                Arguments.of("dns_nxdomain_ok", dns, 1),
                Arguments.of("icmp", "127.0.0.1", 1),
                Arguments.of("icmp6", "::1", 1));
    }

    static HttpResponse<String> probe(String baseUrl, String module, String target)
            throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + "/probe?module=" + module + "&target="
                + URLEncoder.encode(target, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("X-Prometheus-Scrape-Timeout-Seconds", SCRAPE_TIMEOUT_SECONDS).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("probes")
    void vigilReachesBlackboxExportersVerdictAndEmitsEveryNameItEmits(String module, String target, int success)
            throws IOException, InterruptedException {
        HttpResponse<String> theirs = probe(blackbox.url(""), module, target);
        HttpResponse<String> ours = probe("http://127.0.0.1:" + vigil.httpAddress().getPort(), module, target);

        assertThat(theirs.statusCode()).as("blackbox_exporter's status").isEqualTo(200);
        assertThat(ours.statusCode()).as("Vigil's status; body: %s", ours.body()).isEqualTo(200);
        Exposition blackboxMetrics = Exposition.parse(theirs.body());
        Exposition vigilMetrics = Exposition.parse(ours.body());
        assertThat(blackboxMetrics.value("probe_success")).as("blackbox_exporter's verdict").isEqualTo(success);
        assertThat(vigilMetrics.value("probe_success")).as("Vigil's verdict; its answer:%n%s", ours.body())
                .isEqualTo(success);
        Set<String> missing = new TreeSet<>(blackboxMetrics.names());
        missing.removeAll(vigilMetrics.names());
        missing.removeAll(NAMES_VIGIL_DOES_NOT_EMIT.keySet());
        assertThat(missing).as("names blackbox_exporter emits and Vigil does not; blackbox:%n%s%nVigil:%n%s",
                theirs.body(), ours.body()).isEmpty();
    }
}
