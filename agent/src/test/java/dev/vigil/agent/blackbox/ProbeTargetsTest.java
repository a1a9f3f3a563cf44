package dev.vigil.agent.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeTargetsTest {
    private static ProbeSpec prototype(String moduleYaml) {
        return BlackboxConfigTest.spec(moduleYaml);
    }

    private static ProbeSpec aim(String moduleYaml, String target) throws ProbeTargets.BadTarget {
        return ProbeTargets.aim(prototype(moduleYaml), target, Optional.empty());
    }

    @Test
    void readsAnHttpTargetWithoutSchemeAsHttpAndSpeaksHttp2OnlyOverTls() throws Exception {
        HttpProbeSpec plain = (HttpProbeSpec) aim("prober: http", "127.0.0.1:8080/health?x=1");
        HttpProbeSpec tls = (HttpProbeSpec) aim("prober: http", "https://example.test/");

        assertThat(plain.url()).isEqualTo(URI.create("http://127.0.0.1:8080/health?x=1"));
        assertThat(plain.protocol()).isEqualTo(HttpProtocol.HTTP_1_1);
        assertThat(tls.url()).isEqualTo(URI.create("https://example.test/"));
        assertThat(tls.protocol()).isEqualTo(HttpProtocol.HTTP_2);
    }

    @Test
    void replacesTheHostHeaderWithTheHostnameParameter() throws Exception {
        HttpProbeSpec spec = (HttpProbeSpec) ProbeTargets.aim(prototype("prober: http\nhttp: {headers: {Host: a, X: b}}"),
                "http://127.0.0.1/", Optional.of("vhost.test"));

        assertThat(spec.headers()).containsExactly(new HttpHeader("X", "b"), new HttpHeader("Host", "vhost.test"));
    }

    @Test
    void readsATcpTargetAsHostAndPortWithIpv6InBrackets() throws Exception {
        TcpProbeSpec v4 = (TcpProbeSpec) aim("prober: tcp", "db.example:5432");
        TcpProbeSpec v6 = (TcpProbeSpec) aim("prober: tcp", "[::1]:22");

        assertThat(v4.host()).isEqualTo("db.example");
        assertThat(v4.port()).isEqualTo(5432);
        assertThat(v6.host()).isEqualTo("::1");
        assertThat(v6.port()).isEqualTo(22);
    }

    @Test
    void refusesTcpTargetsGoCannotSplit() {
        assertThatThrownBy(() -> aim("prober: tcp", "db.example"))
                .hasMessage("Error splitting target address db.example: missing port in address");
        assertThatThrownBy(() -> aim("prober: tcp", "::1:22"))
                .hasMessage("Error splitting target address ::1:22: need host:port, IPv6 in brackets");
        assertThatThrownBy(() -> aim("prober: tcp", "host:ssh"))
                .hasMessage("Error splitting target address host:ssh: port must be 1..65535 (was 'ssh')");
    }

    @Test
    void readsADnsTargetAsTheServerWithPort53ByDefault() throws Exception {
        String module = "prober: dns\ndns: {query_name: example.com, query_type: A}";
        DnsProbeSpec bare = (DnsProbeSpec) aim(module, "192.0.2.53");
        DnsProbeSpec withPort = (DnsProbeSpec) aim(module, "127.0.0.1:5353");
        DnsProbeSpec v6 = (DnsProbeSpec) aim(module, "::1");
        DnsProbeSpec v6WithPort = (DnsProbeSpec) aim(module, "[::1]:5353");

        assertThat(bare.server() + " " + bare.port()).isEqualTo("192.0.2.53 53");
        assertThat(withPort.server() + " " + withPort.port()).isEqualTo("127.0.0.1 5353");
        assertThat(v6.server() + " " + v6.port()).isEqualTo("::1 53");
        assertThat(v6WithPort.server() + " " + v6WithPort.port()).isEqualTo("::1 5353");
        assertThat(bare.queryName()).isEqualTo("example.com");
    }

    @Test
    void readsAnIcmpTargetAsTheHost() throws Exception {
        assertThat(((IcmpProbeSpec) aim("prober: icmp", "::1")).host()).isEqualTo("::1");
    }
}
