package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.PemFile;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading {@code type: tcp} and {@code type: tls} checks. The rules about the files a {@code tls:}
 * block names have their fixtures in {@code check/tls-files/}, beside the PEM files they name, and
 * are read with that folder as the configuration's folder; the other rules' fixtures are
 * {@code check/invalid-tcp-*.yaml} and {@code check/invalid-tls-*.yaml}, run by {@link InvalidCheckTest}.
 */
class TcpTlsConfigTest {
    private static final String HEAD = """
            checks:
            """;

    @Test
    void readsAnSmtpDialogueWithStartTls() {
        TcpProbeSpec spec = (TcpProbeSpec) parse("""
                  - id: mail
                    type: tcp
                    target: mail.example.test:25
                    ip_family: ip6
                    dialogue:
                      - expect: "^220 "
                        send: EHLO prober.example.test
                      - expect: "^250 "
                        send: STARTTLS
                      - expect: "^220 "
                        starttls: true
                      - send: QUIT
                    tls:
                      server_name: mx.example.test
                      min_validity: 21d
                """).checks().get(0).probe();

        assertThat(spec.host()).isEqualTo("mail.example.test");
        assertThat(spec.port()).isEqualTo(25);
        assertThat(spec.tlsOnConnect()).isFalse();
        assertThat(spec.network().preferredFamily()).isEqualTo(IpFamily.IPV6);
        assertThat(spec.dialogue()).hasSize(4);
        assertThat(spec.dialogue().get(0).expect()).map(Pattern::pattern).contains("^220 ");
        assertThat(spec.dialogue().get(0).send()).contains("EHLO prober.example.test");
        assertThat(spec.dialogue().get(0).startTls()).isFalse();
        assertThat(spec.dialogue().get(2).startTls()).isTrue();
        assertThat(spec.dialogue().get(3).expect()).isEmpty();
        assertThat(spec.dialogue().get(3).send()).contains("QUIT");
        assertThat(spec.tls().serverName()).contains("mx.example.test");
        assertThat(spec.tls().minValidity()).isEqualTo(Duration.ofDays(21));
    }

    @Test
    void readsTlsOnConnectWithDefaultTlsSettings() {
        TcpProbeSpec spec = (TcpProbeSpec) parse("""
                  - id: pop3s
                    type: tcp
                    target: 127.0.0.1:995
                    tls_on_connect: true
                    dialogue:
                      - expect: "^\\\\+OK"
                """).checks().get(0).probe();

        assertThat(spec.tlsOnConnect()).isTrue();
        assertThat(spec.tls()).isEqualTo(TlsSettings.DEFAULT);
        assertThat(spec.dialogue().get(0).expect().orElseThrow().matcher("+OK ready").find()).isTrue();
    }

    @Test
    void readsAConnectOnlyCheckAsBefore() {
        ProbeSpec spec = parse("""
                  - id: db
                    type: tcp
                    target: 127.0.0.1:5432
                """).checks().get(0).probe();

        assertThat(spec).isEqualTo(TcpProbeSpec.connect("127.0.0.1", 5432));
    }

    @Test
    void acceptsTheRe2FormOfANamedGroupAndItsReference() {
        TcpProbeSpec spec = (TcpProbeSpec) parse("""
                  - id: irc
                    type: tcp
                    target: 127.0.0.1:6667
                    dialogue:
                      - expect: "PING :(?P<token>[^ ]+)"
                        send: PONG $token
                      - send: "PRICE $$5 for ${1}"
                """).checks().get(0).probe();

        Pattern expect = spec.dialogue().get(0).expect().orElseThrow();
        var match = expect.matcher("PING :abc123");
        assertThat(match.find()).isTrue();
        assertThat(SendTemplate.parse(spec.dialogue().get(0).send().orElseThrow()).expand(match))
                .isEqualTo("PONG abc123");
        assertThat(SendTemplate.parse(spec.dialogue().get(1).send().orElseThrow()).expand(match))
                .isEqualTo("PRICE $5 for abc123");
    }

    @Test
    void resolvesEnvironmentVariablesInASendBeforeItsGroups() {
        CheckFile config = CheckFile.parse(HEAD + """
                  - id: redis
                    type: tcp
                    target: 127.0.0.1:6379
                    dialogue:
                      - send: AUTH ${REDIS_PASSWORD}
                      - expect: "^\\\\+OK"
                """, Map.of("REDIS_PASSWORD", "s3cret")::get, Path.of("/etc/vigil"));

        TcpProbeSpec spec = (TcpProbeSpec) config.checks().get(0).probe();
        assertThat(spec.dialogue().get(0).send()).contains("AUTH s3cret");
    }

    @Test
    void readsATlsCheckWhosePortDefaultsTo443() {
        TlsProbeSpec spec = (TlsProbeSpec) parse("""
                  - id: cert
                    type: tls
                    target: www.example.test
                    interval: 1h
                    timeout: 10s
                    tls:
                      min_validity: 14d
                """).checks().get(0).probe();

        assertThat(spec.host()).isEqualTo("www.example.test");
        assertThat(spec.port()).isEqualTo(443);
        assertThat(spec.target()).isEqualTo("www.example.test:443");
        assertThat(spec.tls()).isEqualTo(TlsSettings.DEFAULT.withMinValidity(Duration.ofDays(14)));
        assertThat(spec.network()).isEqualTo(NetworkSettings.DEFAULT);
    }

    @Test
    void readsAnIpv6TlsTargetWithoutAPort() {
        TlsProbeSpec spec = (TlsProbeSpec) parse("""
                  - id: cert
                    type: tls
                    target: "::1"
                """).checks().get(0).probe();

        assertThat(spec.host()).isEqualTo("::1");
        assertThat(spec.target()).isEqualTo("[::1]:443");
        assertThat(spec.port()).isEqualTo(443);
    }

    @Test
    void readsTheFilesOfATlsBlock() throws Exception {
        TlsProbeSpec spec = (TlsProbeSpec) parseFile("valid-tls-files.yaml").checks().get(0).probe();

        Path folder = tlsFiles();
        assertThat(spec.tls()).isEqualTo(new TlsSettings(true, Optional.of(folder.resolve("ca.pem")),
                Optional.of(folder.resolve("client.pem")), Optional.of(folder.resolve("client-key.pem")),
                Optional.of("www.example.test"), TlsVersion.TLS13, TlsVersion.TLS13, Duration.ofDays(14)));
        assertThat(PemFile.matches(PemFile.privateKey(folder.resolve("client-key.pem")),
                PemFile.certificates(folder.resolve("client.pem")).get(0))).isTrue();
    }

    static Stream<String> tlsFileFixtures() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(tlsFiles())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("invalid-"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("tlsFileFixtures")
    void rejectsAnUnusableTlsFileWithItsExactMessage(String fixture) throws Exception {
        String yaml = Files.readString(tlsFiles().resolve(fixture), StandardCharsets.UTF_8);
        String firstLine = yaml.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("# error: ");

        assertThatThrownBy(() -> parseFile(fixture))
                .isInstanceOf(ConfigException.class)
                .hasMessage(firstLine.substring("# error: ".length()));
    }

    private static CheckFile parse(String checks) {
        return CheckFile.parse(HEAD + checks, Map.<String, String>of()::get, Path.of("/etc/vigil"));
    }

    private static CheckFile parseFile(String fixture) throws IOException, URISyntaxException {
        String yaml = Files.readString(tlsFiles().resolve(fixture), StandardCharsets.UTF_8);
        return CheckFile.parse(yaml, Map.<String, String>of()::get, tlsFiles());
    }

    private static Path tlsFiles() throws URISyntaxException {
        return Path.of(TcpTlsConfigTest.class.getResource("/check/tls-files").toURI());
    }

    @Test
    void keepsTheStepsOfTheFixtureDialoguesInOrder() {
        TcpProbeSpec spec = (TcpProbeSpec) parse("""
                  - id: irc
                    type: tcp
                    target: 127.0.0.1:6667
                    dialogue:
                      - send: NICK prober
                      - send: USER prober prober prober :prober
                      - expect: "PING :([^ ]+)"
                        send: PONG ${1}
                      - expect: "^:[^ ]+ 001"
                """).checks().get(0).probe();

        assertThat(spec.dialogue()).extracting(step -> step.send().orElse("-")).containsExactly(
                "NICK prober", "USER prober prober prober :prober", "PONG ${1}", "-");
        assertThat(spec.dialogue()).extracting(TcpStep::startTls).containsOnly(false);
    }
}
