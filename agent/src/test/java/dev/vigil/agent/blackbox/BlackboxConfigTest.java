package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.DnsRcode;
import dev.vigil.config.check.DnsRecordChecks;
import dev.vigil.config.check.DnsRecordType;
import dev.vigil.config.check.DnsTransport;
import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HeaderAssertion;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.check.IpFamily;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.StatusRange;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TcpStep;
import dev.vigil.config.check.TlsRequirement;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlackboxConfigTest {
    @TempDir
    static Path folder;

    @BeforeAll
    static void writeReferencedFiles() throws IOException {
        for (String name : List.of("ca.pem", "client.pem", "client.key")) {
            Files.writeString(folder.resolve(name), "not parsed when the module file is read\n");
        }
        Files.writeString(folder.resolve("password.txt"), "s3cret\n");
        Files.writeString(folder.resolve("token.txt"), "t0ken\n");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = BlackboxConfigTest.class.getResourceAsStream("/blackbox/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static BlackboxConfig parse(String yaml) {
        return BlackboxConfig.parse("blackbox.yml", yaml, folder);
    }

    /** The module {@code m} written as {@code moduleYaml} (its lines, unindented). */
    static BlackboxModule module(String moduleYaml) {
        String indented = moduleYaml.lines().map(line -> "    " + line).reduce("", (a, b) -> a + b + "\n");
        return parse("modules:\n  m:\n" + indented).module("m").orElseThrow();
    }

    static ProbeSpec spec(String moduleYaml) {
        BlackboxModule module = module(moduleYaml);
        assertThat(module.unsupported()).isEmpty();
        return module.prototype().orElseThrow();
    }

    private static <T extends ProbeSpec> Arguments row(String yaml, Class<T> type, Function<T, Object> field,
            Object expected) {
        return Arguments.of(yaml, (Function<ProbeSpec, Object>) spec -> field.apply(type.cast(spec)), expected);
    }

    private static List<String> texts(List<Pattern> patterns) {
        return patterns.stream().map(Pattern::pattern).toList();
    }

    private static List<String> texts(DnsRecordChecks checks) {
        return List.of(String.join("|", texts(checks.failIfMatches())), String.join("|", texts(checks.failIfNotMatches())),
                String.join("|", texts(checks.failIfAllMatch())), String.join("|", texts(checks.failIfNoneMatches())));
    }

    private static List<String> headerTexts(List<HeaderAssertion> assertions) {
        return assertions.stream().map(a -> a.name() + " " + a.pattern().pattern() + " mustMatch=" + a.mustMatch()
                + " allowMissing=" + a.allowMissing()).toList();
    }

    private static InetAddress ip(String text) throws IOException {
        return InetAddress.getByName(text);
    }

    static Stream<Arguments> options() throws IOException {
        Class<HttpProbeSpec> http = HttpProbeSpec.class;
        Class<TcpProbeSpec> tcp = TcpProbeSpec.class;
        Class<DnsProbeSpec> dns = DnsProbeSpec.class;
        Class<IcmpProbeSpec> icmp = IcmpProbeSpec.class;
        return Stream.of(
                row("prober: http", http, HttpProbeSpec::expectStatus, ExpectedStatus.SUCCESS),
                row("prober: http\nhttp: {valid_status_codes: []}", http, HttpProbeSpec::expectStatus,
                        ExpectedStatus.SUCCESS),
                row("prober: http\nhttp: {valid_status_codes: [200, 301]}", http, HttpProbeSpec::expectStatus,
                        new ExpectedStatus(List.of(new StatusRange(200, 200), new StatusRange(301, 301)))),
                row("prober: http", http, HttpProbeSpec::acceptedProtocols, Set.of()),
                row("prober: http\nhttp: {valid_http_versions: [HTTP/1.1, HTTP/2.0]}", http,
                        HttpProbeSpec::acceptedProtocols, Set.of(HttpProtocol.HTTP_1_1, HttpProtocol.HTTP_2)),
                row("prober: http", http, HttpProbeSpec::method, HttpMethod.GET),
                row("prober: http\nhttp: {method: POST}", http, HttpProbeSpec::method, HttpMethod.POST),
                row("prober: http\nhttp: {method: head}", http, HttpProbeSpec::method, HttpMethod.HEAD),
                row("prober: http\nhttp: {headers: {Host: vhost.example.com, Accept-Language: en-US}}", http,
                        HttpProbeSpec::headers, List.of(new HttpHeader("Host", "vhost.example.com"),
                                new HttpHeader("Accept-Language", "en-US"))),
                row("prober: http\nhttp: {body: '{}'}", http, HttpProbeSpec::body, "{}"),
                row("prober: http", http, HttpProbeSpec::maxRedirects, 10),
                row("prober: http\nhttp: {follow_redirects: false}", http, HttpProbeSpec::maxRedirects, 0),
                row("prober: http\nhttp: {no_follow_redirects: true}", http, HttpProbeSpec::maxRedirects, 0),
                row("prober: http\nhttp: {no_follow_redirects: false}", http, HttpProbeSpec::maxRedirects, 10),
                row("prober: http", http, HttpProbeSpec::tlsRequirement, TlsRequirement.ANY),
                row("prober: http\nhttp: {fail_if_ssl: true}", http, HttpProbeSpec::tlsRequirement,
                        TlsRequirement.FORBIDDEN),
                row("prober: http\nhttp: {fail_if_not_ssl: true}", http, HttpProbeSpec::tlsRequirement,
                        TlsRequirement.REQUIRED),
                row("prober: http\nhttp: {fail_if_body_matches_regexp: ['Could not connect', 'err(or)?']}", http,
                        spec -> texts(spec.bodyMustNotMatch()), List.of("Could not connect", "err(or)?")),
                row("prober: http\nhttp: {fail_if_body_not_matches_regexp: ['Download']}", http,
                        spec -> texts(spec.bodyMustMatch()), List.of("Download")),
                row("prober: http\nhttp: {fail_if_header_matches: [{header: Set-Cookie, allow_missing: true,"
                        + " regexp: '.*'}]}", http, spec -> headerTexts(spec.headerAssertions()),
                        List.of("Set-Cookie .* mustMatch=false allowMissing=true")),
                row("prober: http\nhttp: {fail_if_header_not_matches: [{header: Access-Control-Allow-Origin,"
                        + " regexp: '(\\*|example\\.com)'}]}", http, spec -> headerTexts(spec.headerAssertions()),
                        List.of("Access-Control-Allow-Origin (\\*|example\\.com) mustMatch=true allowMissing=false")),
                row("prober: http", http, HttpProbeSpec::tls, TlsSettings.DEFAULT),
                row("prober: http\nhttp: {tls_config: {insecure_skip_verify: true}}", http,
                        spec -> spec.tls().verify(), false),
                row("prober: http\nhttp: {tls_config: {ca_file: ca.pem, cert_file: client.pem, key_file: client.key,"
                        + " server_name: web.example}}", http, HttpProbeSpec::tls,
                        new TlsSettings(true, Optional.of(folder.resolve("ca.pem")),
                                Optional.of(folder.resolve("client.pem")), Optional.of(folder.resolve("client.key")),
                                Optional.of("web.example"), TlsVersion.TLS12, TlsVersion.TLS13, Duration.ZERO)),
                row("prober: http\nhttp: {tls_config: {min_version: TLS10, max_version: TLS12}}", http,
                        spec -> List.of(spec.tls().minVersion(), spec.tls().maxVersion()),
                        List.of(TlsVersion.TLS10, TlsVersion.TLS12)),
                row("prober: http\nhttp: {tls_config: {min_version: TLS13}}", http,
                        spec -> List.of(spec.tls().minVersion(), spec.tls().maxVersion()),
                        List.of(TlsVersion.TLS13, TlsVersion.TLS13)),
                row("prober: http", http, HttpProbeSpec::auth, Optional.empty()),
                row("prober: http\nhttp: {basic_auth: {username: user, password: mysecret}}", http,
                        HttpProbeSpec::auth, Optional.of(new HttpAuth.Basic("user", "mysecret"))),
                row("prober: http\nhttp: {basic_auth: {username: user, password_file: password.txt}}", http,
                        HttpProbeSpec::auth, Optional.of(new HttpAuth.Basic("user", "s3cret"))),
                row("prober: http\nhttp: {bearer_token: abc}", http, HttpProbeSpec::auth,
                        Optional.of(new HttpAuth.Bearer("abc"))),
                row("prober: http\nhttp: {bearer_token_file: token.txt}", http, HttpProbeSpec::auth,
                        Optional.of(new HttpAuth.Bearer("t0ken"))),
                row("prober: http\nhttp: {authorization: {credentials: xyz}}", http, HttpProbeSpec::auth,
                        Optional.of(new HttpAuth.Bearer("xyz"))),
                row("prober: http\nhttp: {authorization: {type: Bearer, credentials_file: token.txt}}", http,
                        HttpProbeSpec::auth, Optional.of(new HttpAuth.Bearer("t0ken"))),
                row("prober: http", http, HttpProbeSpec::proxy, Optional.empty()),
                row("prober: http\nhttp: {proxy_url: 'http://127.0.0.1:3128'}", http, HttpProbeSpec::proxy,
                        Optional.of(URI.create("http://127.0.0.1:3128"))),
                row("prober: http", http, HttpProbeSpec::network,
                        new NetworkSettings(IpFamily.IPV6, true, Optional.empty(), List.of())),
                row("prober: http\nhttp: {preferred_ip_protocol: ip4, ip_protocol_fallback: false}", http,
                        HttpProbeSpec::network, new NetworkSettings(IpFamily.IPV4, false, Optional.empty(), List.of())),
                row("prober: http", http, HttpProbeSpec::bodySizeLimitBytes, 0L),
                row("prober: http\nhttp: {body_size_limit: 10MB}", http, HttpProbeSpec::bodySizeLimitBytes,
                        10L * 1024 * 1024),
                row("prober: http\nhttp: {body_size_limit: 1KiB}", http, HttpProbeSpec::bodySizeLimitBytes, 1024L),
                row("prober: http\nhttp: {body_size_limit: 4096}", http, HttpProbeSpec::bodySizeLimitBytes, 4096L),
                row("prober: http", http, HttpProbeSpec::protocol, HttpProtocol.HTTP_2),
                row("prober: http\nhttp: {enable_http2: false}", http, HttpProbeSpec::protocol, HttpProtocol.HTTP_1_1),
                row("prober: http\nhttp: {compression: identity}", http, HttpProbeSpec::method, HttpMethod.GET),
                row("prober: tcp", tcp, TcpProbeSpec::dialogue, List.of()),
                row("prober: tcp\ntcp:\n  query_response:\n  - expect: '^SSH-2.0-'\n  - send: SSH-2.0-check\n"
                        + "  - {expect: 'PING :([^ ]+)', send: 'PONG ${1}'}\n  - starttls: true\n  - {}", tcp,
                        spec -> spec.dialogue().stream().map(step -> step.expect().map(Pattern::pattern) + " "
                                + step.send() + " " + step.startTls()).toList(),
                        List.of("Optional[^SSH-2.0-] Optional.empty false",
                                "Optional.empty Optional[SSH-2.0-check] false",
                                "Optional[PING :([^ ]+)] Optional[PONG ${1}] false",
                                "Optional.empty Optional.empty true")),
                row("prober: tcp", tcp, TcpProbeSpec::tlsOnConnect, false),
                row("prober: tcp\ntcp: {tls: true, tls_config: {insecure_skip_verify: true}}", tcp,
                        spec -> List.of(spec.tlsOnConnect(), spec.tls().verify()), List.of(true, false)),
                row("prober: tcp\ntcp: {source_ip_address: 127.0.0.1, preferred_ip_protocol: ip4}", tcp,
                        TcpProbeSpec::network,
                        new NetworkSettings(IpFamily.IPV4, true, Optional.of(ip("127.0.0.1")), List.of())),
                row("prober: dns\ndns: {query_name: example.com, query_type: A}", dns,
                        spec -> List.of(spec.queryName(), spec.queryType(), spec.transport(), spec.recursionDesired(),
                                spec.validRcodes(), spec.port(), spec.network()),
                        List.of("example.com", DnsRecordType.A, DnsTransport.UDP, true, Set.of(DnsRcode.NOERROR), 53,
                                new NetworkSettings(IpFamily.IPV6, true, Optional.empty(), List.of()))),
                row("prober: dns\ndns: {query_name: example.com, query_type: SOA, transport_protocol: tcp,"
                        + " recursion_desired: false, valid_rcodes: [NOERROR, NXDOMAIN], query_class: IN}", dns,
                        spec -> List.of(spec.queryType(), spec.transport(), spec.recursionDesired(), spec.validRcodes()),
                        List.of(DnsRecordType.SOA, DnsTransport.TCP, false, Set.of(DnsRcode.NOERROR, DnsRcode.NXDOMAIN))),
                row("prober: dns\ndns:\n  query_name: www.prometheus.io\n  query_type: AAAA\n"
                        + "  validate_answer_rrs:\n    fail_if_matches_regexp: [a]\n    fail_if_not_matches_regexp: [b]\n"
                        + "    fail_if_all_match_regexp: [c]\n    fail_if_none_matches_regexp: [d, e]\n"
                        + "  validate_authority_rrs: {fail_if_matches_regexp: [f]}\n"
                        + "  validate_additional_rrs: {fail_if_none_matches_regexp: [g]}", dns,
                        spec -> List.of(texts(spec.answer()), texts(spec.authority()), texts(spec.additional())),
                        List.of(List.of("a", "b", "c", "d|e"), List.of("f", "", "", ""), List.of("", "", "", "g"))),
                row("prober: dns\ndns: {query_name: x, query_type: MX, preferred_ip_protocol: ip4,"
                        + " ip_protocol_fallback: false, source_ip_address: '::1'}", dns, DnsProbeSpec::network,
                        new NetworkSettings(IpFamily.IPV4, false, Optional.of(ip("::1")), List.of())),
                row("prober: icmp", icmp,
                        spec -> List.of(spec.count(), spec.payloadBytes(), spec.ttl(), spec.dontFragment(),
                                spec.network()),
                        List.of(1, 28, 0, false, new NetworkSettings(IpFamily.IPV6, true, Optional.empty(), List.of()))),
                row("prober: icmp\nicmp: {payload_size: 100, dont_fragment: true, ttl: 5, source_ip_address: 127.0.0.1,"
                        + " preferred_ip_protocol: ip4}", icmp,
                        spec -> List.of(spec.payloadBytes(), spec.ttl(), spec.dontFragment(), spec.network()),
                        List.of(100, 5, true, new NetworkSettings(IpFamily.IPV4, true, Optional.of(ip("127.0.0.1")),
                                List.of()))));
    }

    @ParameterizedTest
    @MethodSource("options")
    void mapsEachModuleOptionOntoTheProbeSettings(String yaml, Function<ProbeSpec, Object> field, Object expected) {
        assertThat(field.apply(spec(yaml))).isEqualTo(expected);
    }

    @Test
    void readsTheModuleTimeoutAsAGoDuration() {
        assertThat(module("prober: tcp").timeout()).isEqualTo(Duration.ZERO);
        assertThat(module("prober: tcp\ntimeout: 5s").timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(module("prober: tcp\ntimeout: 1.5s").timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(module("prober: tcp\ntimeout: 1m30s").timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(module("prober: tcp\ntimeout: 250ms").timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void loadsDebiansDefaultModuleFileWithItsGrpcModulesUnsupported() throws IOException {
        BlackboxConfig config = parse(resource("debian-blackbox.yml"));

        assertThat(config.modules().keySet()).containsExactly("http_2xx", "http_post_2xx", "tcp_connect",
                "pop3s_banner", "grpc", "grpc_plain", "ssh_banner", "irc_banner", "icmp", "icmp_ttl5");
        assertThat(config.modules().values().stream().filter(module -> module.unsupported().isPresent())
                .map(BlackboxModule::name)).containsExactly("grpc", "grpc_plain");
        assertThat(config.module("grpc").orElseThrow().unsupported())
                .hasValue("modules.grpc.prober is grpc, which Vigil does not support at blackbox.yml:19");
        TcpProbeSpec pop3s = (TcpProbeSpec) config.module("pop3s_banner").orElseThrow().prototype().orElseThrow();
        assertThat(pop3s.tlsOnConnect()).isTrue();
        assertThat(pop3s.dialogue()).hasSize(1);
        TcpProbeSpec irc = (TcpProbeSpec) config.module("irc_banner").orElseThrow().prototype().orElseThrow();
        assertThat(irc.dialogue().get(2).send()).hasValue("PONG ${1}");
        assertThat(config.module("icmp_ttl5").orElseThrow().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(((IcmpProbeSpec) config.module("icmp_ttl5").orElseThrow().prototype().orElseThrow()).ttl())
                .isEqualTo(5);
    }

    @Test
    void loadsTheBlackboxExamplesFilesNamingWhatVigilCannotRun() throws IOException {
        assertThat(parse(resource("examples-blackbox.yml")).modules()).hasSize(10);

        BlackboxConfig example = parse(resource("examples-example.yml"));

        assertThat(example.modules()).hasSize(16);
        assertThat(example.modules().values().stream().filter(module -> module.unsupported().isPresent())
                .map(module -> module.unsupported().get())).containsExactly(
                "modules.http_with_proxy.http.skip_resolve_phase_with_proxy is not supported by Vigil"
                        + " at blackbox.yml:35",
                "modules.http_custom_ca_example.http.tls_config.ca_file must be a readable file (/certs/my_cert.crt"
                        + " is not) at blackbox.yml:59",
                "modules.http_gzip.http.compression is gzip: Vigil does not decompress response bodies"
                        + " (leave compression unset or identity) at blackbox.yml:64",
                "modules.http_gzip_with_accept_encoding.http.compression is gzip: Vigil does not decompress response"
                        + " bodies (leave compression unset or identity) at blackbox.yml:69",
                "modules.dns_tcp_example.dns has no query_type, so blackbox_exporter would ask for ANY, which Vigil"
                        + " does not support (set query_type: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV or TXT)"
                        + " at blackbox.yml:152");
        HttpProbeSpec first = (HttpProbeSpec) example.module("http_2xx_example").orElseThrow().prototype().orElseThrow();
        assertThat(first.acceptedProtocols()).containsExactlyInAnyOrder(HttpProtocol.HTTP_1_1, HttpProtocol.HTTP_2);
        assertThat(first.network().preferredFamily()).isEqualTo(IpFamily.IPV4);
        assertThat(first.headerAssertions()).hasSize(2);
    }

    static Stream<Arguments> unsupportedOptions() {
        return Stream.of(
                Arguments.of("prober: grpc\ngrpc: {service: x}",
                        "modules.m.prober is grpc, which Vigil does not support at blackbox.yml:3"),
                Arguments.of("prober: smtp", "Unknown prober \"smtp\" in module m at blackbox.yml:3"),
                Arguments.of("timeout: 5s", "Unknown prober \"\" in module m at blackbox.yml:3"),
                Arguments.of("prober: http\nhttp: {compression: br}",
                        "modules.m.http.compression is br: Vigil does not decompress response bodies"
                                + " (leave compression unset or identity) at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp:\n  oauth2: {client_id: a, client_secret: b, token_url: 'http://t'}",
                        "modules.m.http.oauth2 is not supported by Vigil at blackbox.yml:5"),
                Arguments.of("prober: http\nhttp: {valid_http_versions: [HTTP/1.0]}",
                        "modules.m.http.valid_http_versions[0] is not an HTTP version Vigil can check"
                                + " (HTTP/1.1, HTTP/2.0; was 'HTTP/1.0') at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp: {method: PROPFIND}",
                        "modules.m.http.method is not a method Vigil can send (GET, HEAD, POST, PUT, DELETE, OPTIONS,"
                                + " PATCH; was 'PROPFIND') at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp: {fail_if_ssl: true, fail_if_not_ssl: true}",
                        "modules.m.http.fail_if_not_ssl together with fail_if_ssl fails every probe; Vigil does not"
                                + " run such a module at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp: {authorization: {type: Digest, credentials: x}}",
                        "modules.m.http.authorization.type is Digest; Vigil sends only Bearer credentials"
                                + " at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp: {tls_config: {cert_file: client.pem}}",
                        "modules.m.http.tls_config needs cert_file and key_file together at blackbox.yml:4"),
                Arguments.of("prober: tcp\ntcp:\n  tls: true\n  query_response: [{starttls: true}]",
                        "modules.m.tcp cannot be run by Vigil: starttls cannot follow tls: true; the connection is"
                                + " already TLS at blackbox.yml:5"),
                Arguments.of("prober: dns\ndns: {query_name: x, query_type: ANY}",
                        "modules.m.dns.query_type is ANY, which Vigil does not support (A, AAAA, CNAME, MX, NS, PTR,"
                                + " SOA, SRV, TXT) at blackbox.yml:4"),
                Arguments.of("prober: dns\ndns: {query_name: x, query_type: A, query_class: CH}",
                        "modules.m.dns.query_class is CH; Vigil asks only in class IN at blackbox.yml:4"),
                Arguments.of("prober: dns\ndns: {query_name: x, query_type: A, dns_over_tls: true}",
                        "modules.m.dns.dns_over_tls is not supported by Vigil at blackbox.yml:4"),
                Arguments.of("prober: dns\ndns: {query_name: x, query_type: A, transport_protocol: sctp}",
                        "modules.m.dns.transport_protocol must be udp or tcp (was 'sctp') at blackbox.yml:4"),
                Arguments.of("prober: dns\ndns: {query_name: x, query_type: A, valid_rcodes: [BADSIG]}",
                        "modules.m.dns.valid_rcodes[0] is BADSIG, which Vigil does not support at blackbox.yml:4"),
                Arguments.of("prober: dns", "modules.m needs a dns block with query_name at blackbox.yml:3"),
                Arguments.of("prober: icmp\nicmp: {source_ip_address: eth0}",
                        "modules.m.icmp.source_ip_address must be an IP address (was 'eth0') at blackbox.yml:4"),
                Arguments.of("prober: http\nhttp: {preferred_ip_protocol: ip5}",
                        "modules.m.http.preferred_ip_protocol must be ip4 or ip6 (was 'ip5') at blackbox.yml:4"));
    }

    @ParameterizedTest
    @MethodSource("unsupportedOptions")
    void loadsAModuleVigilCannotRunAndSaysWhyAndWhere(String yaml, String reason) {
        BlackboxModule module = module(yaml);

        assertThat(module.prototype()).isEmpty();
        assertThat(module.unsupported()).hasValue(reason);
    }

    @Test
    void joinsEveryUnsupportedOptionOfAModule() {
        assertThat(module("prober: http\nhttp:\n  compression: gzip\n  method: TRACE").unsupported()).hasValue(
                "modules.m.http.method is not a method Vigil can send (GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH;"
                        + " was 'TRACE') at blackbox.yml:6; modules.m.http.compression is gzip: Vigil does not"
                        + " decompress response bodies (leave compression unset or identity) at blackbox.yml:5");
    }

    @Test
    void keepsTheModulesInFileOrderAndTakesNoModulesAsEmpty() {
        assertThat(parse("modules:\n  b: {prober: tcp}\n  a: {prober: icmp}\n").modules().keySet())
                .containsExactly("b", "a");
        assertThat(parse("modules:\n").modules()).isEmpty();
        assertThat(parse("modules: {}\n").modules()).isEmpty();
    }

    @Test
    void takesDollarBracesAsTheyAreRatherThanAsEnvironmentVariables() {
        TcpProbeSpec spec = (TcpProbeSpec) spec("prober: tcp\ntcp:\n  query_response:\n"
                + "  - {expect: '(?<id>x)', send: 'ID ${id} ${HOME}'}");
        assertThat(spec.dialogue()).containsExactly(new TcpStep(spec.dialogue().get(0).expect(),
                Optional.of("ID ${id} ${HOME}"), false));
    }
}
