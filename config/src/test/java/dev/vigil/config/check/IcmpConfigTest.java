package dev.vigil.config.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IcmpConfigTest {
    private static final String HEAD = """
            checks:
            """;

    private static CheckConfig check(String fields) {
        return CheckFile.parse(HEAD + "  - id: ping\n    type: icmp\n" + fields.indent(4)).checks().get(0);
    }

    @Test
    void readsEveryIcmpField() {
        CheckConfig check = check("""
                target: "[2001:db8::10]"
                count: 5
                spacing: 200ms
                payload_size: 1400
                ttl: 32
                dont_fragment: true
                max_loss: 20%
                ip_family: ip6
                ip_fallback: false
                source_address: 2001:db8::2
                name_servers: ["[::1]:5353"]
                interval: 10s
                timeout: 5s
                """);

        assertThat(check.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(check.probe()).isEqualTo(new IcmpProbeSpec("2001:db8::10", 5, Duration.ofMillis(200), 1400, 32, true,
                0.2, new NetworkSettings(IpFamily.IPV6, false,
                        Optional.of(NetUtil.createInetAddressFromIpAddressString("2001:db8::2")),
                        List.of(java.net.InetSocketAddress.createUnresolved("::1", 5353)))));
    }

    @Test
    void appliesTheDefaultsToACheckNamingOnlyItsTarget() {
        CheckConfig check = check("target: db.example.test\n");

        assertThat(check.probe()).isEqualTo(IcmpProbeSpec.echo("db.example.test"));
        IcmpProbeSpec spec = (IcmpProbeSpec) check.probe();
        assertThat(spec.count()).isEqualTo(3);
        assertThat(spec.spacing()).isEqualTo(Duration.ofMillis(100));
        assertThat(spec.payloadBytes()).isEqualTo(56);
        assertThat(spec.ttl()).as("the system default").isZero();
        assertThat(spec.dontFragment()).isFalse();
        assertThat(spec.maxLossRatio()).isEqualTo(0.34);
    }

    @Test
    void takesMaxLossAsARatioOrAPercentage() {
        assertThat(((IcmpProbeSpec) check("target: 192.0.2.10\nmax_loss: 0.5\n").probe()).maxLossRatio())
                .isEqualTo(0.5);
        assertThat(((IcmpProbeSpec) check("target: 192.0.2.10\nmax_loss: 12.5%\n").probe()).maxLossRatio())
                .isEqualTo(0.125);
    }

    @Test
    void acceptsIpLiteralsOfBothFamiliesAsTargets() {
        assertThat(((IcmpProbeSpec) check("target: 192.0.2.10\n").probe()).host()).isEqualTo("192.0.2.10");
        assertThat(((IcmpProbeSpec) check("target: \"::1\"\n").probe()).host()).isEqualTo("::1");
    }

    @Test
    void allowsRequestsThatEndJustBeforeTheTimeout() {
        CheckConfig check = check("target: 192.0.2.10\ncount: 10\nspacing: 100ms\ninterval: 2s\ntimeout: 901ms\n");

        assertThat(((IcmpProbeSpec) check.probe()).count()).isEqualTo(10);
    }
}
