package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsConfigTest {
    private static final String HEAD = """
            checks:
              - id: dns
                type: dns
            """;

    private static DnsProbeSpec spec(String fields) {
        CheckFile config = CheckFile.parse(HEAD + fields.indent(4));
        return (DnsProbeSpec) config.checks().get(0).probe();
    }

    @Test
    void readsEveryField() throws Exception {
        DnsProbeSpec spec = spec("""
                server: ns1.example.test:5353
                query_name: www.example.test
                query_type: aaaa
                transport: tcp
                recursion_desired: false
                valid_rcodes: [NOERROR, nxdomain]
                validate_answer:
                  fail_if_matches: ['\\t0\\t']
                  fail_if_not_matches: ['^www\\.example\\.test\\.', 'AAAA']
                  fail_if_all_match: ['2001:db8:']
                  fail_if_none_matches: ['2001:db8::1$']
                validate_authority:
                  fail_if_not_matches: ['\\tNS\\t']
                validate_additional:
                  fail_if_matches: ['127\\.0\\.0\\.1']
                ip_family: ip6
                ip_fallback: false
                source_address: ::1
                name_servers: [127.0.0.1:5300]
                """);

        assertThat(spec.server()).isEqualTo("ns1.example.test");
        assertThat(spec.port()).isEqualTo(5353);
        assertThat(spec.queryName()).isEqualTo("www.example.test");
        assertThat(spec.queryType()).isEqualTo(DnsRecordType.AAAA);
        assertThat(spec.transport()).isEqualTo(DnsTransport.TCP);
        assertThat(spec.recursionDesired()).isFalse();
        assertThat(spec.validRcodes()).containsExactlyInAnyOrder(DnsRcode.NOERROR, DnsRcode.NXDOMAIN);
        assertThat(texts(spec.answer().failIfMatches())).containsExactly("\\t0\\t");
        assertThat(texts(spec.answer().failIfNotMatches())).containsExactly("^www\\.example\\.test\\.", "AAAA");
        assertThat(texts(spec.answer().failIfAllMatch())).containsExactly("2001:db8:");
        assertThat(texts(spec.answer().failIfNoneMatches())).containsExactly("2001:db8::1$");
        assertThat(texts(spec.authority().failIfNotMatches())).containsExactly("\\tNS\\t");
        assertThat(spec.authority().failIfMatches()).isEmpty();
        assertThat(texts(spec.additional().failIfMatches())).containsExactly("127\\.0\\.0\\.1");
        assertThat(spec.network().preferredFamily()).isEqualTo(IpFamily.IPV6);
        assertThat(spec.network().fallback()).isFalse();
        assertThat(spec.network().sourceAddress()).contains(InetAddress.getByName("::1"));
        assertThat(spec.network().nameServers()).singleElement().satisfies(server -> {
            assertThat(server.getHostString()).isEqualTo("127.0.0.1");
            assertThat(server.getPort()).isEqualTo(5300);
        });
    }

    @Test
    void appliesTheDefaults() {
        DnsProbeSpec spec = spec("""
                server: 192.0.2.53
                query_name: example.test
                """);

        assertThat(spec).isEqualTo(DnsProbeSpec.query("192.0.2.53", 53, "example.test", DnsRecordType.A));
        assertThat(spec.transport()).isEqualTo(DnsTransport.UDP);
        assertThat(spec.recursionDesired()).isTrue();
        assertThat(spec.validRcodes()).containsExactly(DnsRcode.NOERROR);
        assertThat(spec.answer()).isEqualTo(DnsRecordChecks.NONE);
        assertThat(spec.network()).isEqualTo(NetworkSettings.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.53         | 192.0.2.53       | 53",
        "192.0.2.53:5353    | 192.0.2.53       | 5353",
        "ns1.example.test   | ns1.example.test | 53",
        "2001:db8::53       | 2001:db8::53     | 53",
        "[2001:db8::53]     | 2001:db8::53     | 53",
        "[2001:db8::53]:853 | 2001:db8::53     | 853",
    })
    void readsTheServerWithOrWithoutAPort(String server, String host, int port) {
        DnsProbeSpec spec = spec("server: '" + server + "'\nquery_name: example.test\n");

        assertThat(spec.server()).isEqualTo(host);
        assertThat(spec.port()).isEqualTo(port);
    }

    @ParameterizedTest
    @CsvSource({"'.'", "example.test.", "_sip._tcp.example.test", "bücher.example"})
    void acceptsTheRootTrailingDotsUnderscoresAndInternationalNames(String name) {
        assertThat(spec("server: 192.0.2.53\nquery_name: '" + name + "'\n").queryName()).isEqualTo(name);
    }

    @Test
    void acceptsANameOfTheLongestLengthWithLabelsOfTheLongestLength() {
        String label = "a".repeat(63);
        String name = String.join(".", label, label, label, "b".repeat(61));

        assertThat(spec("server: 192.0.2.53\nquery_name: " + name + "\n").queryName()).hasSize(253);
    }

    @Test
    void theSpecRejectsANameThatCannotBeSent() {
        assertThatThrownBy(() -> DnsProbeSpec.query("192.0.2.53", 53, "a..b", DnsRecordType.A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("query_name must not have an empty label (was 'a..b')");
    }

    @Test
    void rejectsAFieldOfAnotherProbeType() {
        assertThatThrownBy(() -> spec("server: 192.0.2.53\nquery_name: example.test\ntls: {verify: false}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown field checks[0].tls at checks.yaml:6 (known: id, interval, ip_fallback,"
                        + " ip_family, name_servers, query_name, query_type, recursion_desired, server,"
                        + " source_address, timeout, transport, type, valid_rcodes, validate_additional,"
                        + " validate_answer, validate_authority)");
    }

    @Test
    void keepsEveryRcodeListed() {
        DnsProbeSpec spec = spec("server: 192.0.2.53\nquery_name: example.test\nvalid_rcodes: [SERVFAIL, refused, "
                + "NoError]\n");

        assertThat(spec.validRcodes()).isEqualTo(Set.of(DnsRcode.SERVFAIL, DnsRcode.REFUSED, DnsRcode.NOERROR));
    }

    private static List<String> texts(List<Pattern> patterns) {
        return patterns.stream().map(Pattern::pattern).toList();
    }
}
