package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HttpConfigTest {
    private static final String PREAMBLE = """
            checks:
            """;

    private static HttpProbeSpec parseCheck(String check) {
        CheckFile config = CheckFile.parse(PREAMBLE + check);
        return (HttpProbeSpec) config.checks().get(0).probe();
    }

    @Test
    void readsEveryFieldOfAnHttpCheck() {
        HttpProbeSpec spec = parseCheck("""
                  - id: api
                    type: http
                    url: https://api.example.test/health
                    method: post
                    headers:
                      - {name: X-Tenant, value: a}
                      - {name: X-Tenant, value: b}
                    body: '{"deep": true}'
                    basic_auth: {username: probe, password: "${VIGIL_AGENT_TOKEN}"}
                    expect_status: [200, 202-204]
                    body_must_match: ["ok"]
                    body_must_not_match: ["(?i)error"]
                    expect_headers:
                      - {name: Content-Type, pattern: json}
                      - {name: Server, pattern: "Apache/2\\\\.2", must_match: false, allow_missing: true}
                    expect_json:
                      - {pointer: /status, equals: ok}
                      - {pointer: /checks/0/latency_ms, matches: "^\\\\d+$"}
                      - {pointer: /version}
                    max_redirects: 3
                    protocol: http2
                    http_versions: [http2, "HTTP/1.1"]
                    require_tls: true
                    body_size_limit: 512KiB
                    proxy_url: http://probe:pw@proxy.test:3128
                    tls: {verify: false, server_name: api.internal.test, min_validity: 14d}
                """);

        assertThat(spec.url()).isEqualTo(URI.create("https://api.example.test/health"));
        assertThat(spec.method()).isEqualTo(HttpMethod.POST);
        assertThat(spec.headers()).containsExactly(new HttpHeader("X-Tenant", "a"), new HttpHeader("X-Tenant", "b"));
        assertThat(spec.body()).isEqualTo("{\"deep\": true}");
        assertThat(spec.auth()).contains(new HttpAuth.Basic("probe", "s3cret"));
        assertThat(spec.expectStatus()).hasToString("[200, 202-204]");
        assertThat(spec.bodyMustMatch()).extracting(Pattern::pattern).containsExactly("ok");
        assertThat(spec.bodyMustNotMatch()).extracting(Pattern::pattern).containsExactly("(?i)error");
        assertThat(spec.headerAssertions()).hasSize(2);
        HeaderAssertion server = spec.headerAssertions().get(1);
        assertThat(server.name()).isEqualTo("Server");
        assertThat(server.pattern().pattern()).isEqualTo("Apache/2\\.2");
        assertThat(server.mustMatch()).isFalse();
        assertThat(server.allowMissing()).isTrue();
        assertThat(spec.headerAssertions().get(0).mustMatch()).isTrue();
        assertThat(spec.headerAssertions().get(0).allowMissing()).isFalse();
        assertThat(spec.jsonAssertions()).hasSize(3);
        assertThat(spec.jsonAssertions().get(0).equalsText()).contains("ok");
        assertThat(spec.jsonAssertions().get(1).matches().map(Pattern::pattern)).contains("^\\d+$");
        assertThat(spec.jsonAssertions().get(2).equalsText()).isEmpty();
        assertThat(spec.jsonAssertions().get(2).matches()).isEmpty();
        assertThat(spec.maxRedirects()).isEqualTo(3);
        assertThat(spec.protocol()).isEqualTo(HttpProtocol.HTTP_2);
        assertThat(spec.acceptedProtocols()).containsExactlyInAnyOrder(HttpProtocol.HTTP_2, HttpProtocol.HTTP_1_1);
        assertThat(spec.tlsRequirement()).isEqualTo(TlsRequirement.REQUIRED);
        assertThat(spec.bodySizeLimitBytes()).isEqualTo(512 * 1024);
        assertThat(spec.proxy()).contains(URI.create("http://probe:pw@proxy.test:3128"));
        assertThat(spec.tls().verify()).isFalse();
        assertThat(spec.tls().serverName()).contains("api.internal.test");
        assertThat(spec.tls().minValidity()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void fillsDefaultsForAMinimalHttpCheck() {
        HttpProbeSpec spec = parseCheck("""
                  - {id: web, type: http, url: "http://web.test/"}
                """);

        assertThat(spec).isEqualTo(HttpProbeSpec.get(URI.create("http://web.test/")));
        assertThat(spec.maxRedirects()).isEqualTo(HttpProbeSpec.DEFAULT_MAX_REDIRECTS);
        assertThat(spec.tlsRequirement()).isEqualTo(TlsRequirement.ANY);
        assertThat(spec.bodySizeLimitBytes()).isZero();
        assertThat(spec.acceptedProtocols()).isEmpty();
    }

    @Test
    void readsHeadersGivenAsAMappingABearerTokenAndForbiddenTls() {
        HttpProbeSpec spec = parseCheck("""
                  - id: web
                    type: http
                    url: http://web.test/
                    headers: {Accept: application/json, X-Trace: "on"}
                    bearer_token: tok.en
                    require_tls: false
                    max_redirects: 0
                    body_size_limit: 1048576
                    protocol: HTTP/1.1
                """);

        assertThat(spec.headers()).containsExactly(new HttpHeader("Accept", "application/json"),
                new HttpHeader("X-Trace", "on"));
        assertThat(spec.auth()).isEqualTo(Optional.of(new HttpAuth.Bearer("tok.en")));
        assertThat(spec.tlsRequirement()).isEqualTo(TlsRequirement.FORBIDDEN);
        assertThat(spec.maxRedirects()).isZero();
        assertThat(spec.bodySizeLimitBytes()).isEqualTo(1 << 20);
        assertThat(spec.protocol()).isEqualTo(HttpProtocol.HTTP_1_1);
    }
}
