package dev.vigil.collector.incident.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF guard's judgement of addresses: pure, so no address here is ever connected to. */
class EgressPolicyTest {
    private static final EgressPolicy LOOPBACK_ALLOWED =
            new EgressPolicy(List.of(EgressPolicy.Cidr.parse("127.0.0.0/8")));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1              | a loopback address
            127.255.255.254        | a loopback address
            10.0.0.1               | a private address
            10.255.255.255         | a private address
            172.16.0.1             | a private address
            172.31.255.255         | a private address
            192.168.1.1            | a private address
            169.254.169.254        | a link-local address (cloud metadata lives there)
            100.64.0.1             | a carrier-grade NAT address
            100.100.100.200        | a carrier-grade NAT address
            0.0.0.0                | an unspecified ("this network") address
            255.255.255.255        | a reserved or broadcast address
            224.0.0.251            | a multicast address
            198.18.0.1             | a benchmarking address
            ::                     | the unspecified address
            ::1                    | a loopback address
            fd00::1                | a unique-local address
            fc00::1                | a unique-local address
            fd00:ec2::254          | a unique-local address
            fe80::1                | a link-local address
            fec0::1                | a site-local address
            ff02::1                | a multicast address
            ::127.0.0.1            | an IPv4-compatible address
            ::ffff:127.0.0.1       | a loopback address
            ::ffff:169.254.169.254 | a link-local address (cloud metadata lives there)
            ::ffff:10.1.2.3        | a private address
            64:ff9b::a9fe:a9fe     | a link-local address (cloud metadata lives there)
            64:ff9b::7f00:1        | a loopback address
            64:ff9b:1::a00:1       | a private address
            2002:a9fe:a9fe::1      | a link-local address (cloud metadata lives there)
            """)
    void blocksSpecialAddressesByDefault(String address, String what) throws Exception {
        InetAddress parsed = InetAddress.getByName(address);

        assertThat(EgressPolicy.DEFAULT.denies(parsed)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith(parsed.getHostAddress() + " is " + what)
                .endsWith("blocked for sinks unless listed in incidents.egress.allow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700::1111",
            "2a00:1450:4001:82a::200e", "64:ff9b::808:808"})
    void allowsPublicAddressesByDefault(String address) throws Exception {
        assertThat(EgressPolicy.DEFAULT.denies(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void judgesAnIpv4MappedAddressTheJdkKeptInIpv6FormByTheAddressItCarries() throws Exception {
        byte[] mapped = InetAddress.getByName("::ffff:169.254.169.254").getAddress();
        byte[] sixteen = new byte[16];
        sixteen[10] = (byte) 0xff;
        sixteen[11] = (byte) 0xff;
        System.arraycopy(mapped, mapped.length - 4, sixteen, 12, 4);
        InetAddress kept = Inet6Address.getByAddress(null, sixteen, -1);

        assertThat(kept).isInstanceOf(Inet6Address.class);
        assertThat(EgressPolicy.DEFAULT.denies(kept)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("it carries 169.254.169.254").contains("link-local"));
        assertThat(LOOPBACK_ALLOWED.denies(kept)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "::ffff:127.0.0.1", "64:ff9b::7f00:1"})
    void anAllowListOpensLoopbackAgain(String address) throws Exception {
        assertThat(LOOPBACK_ALLOWED.denies(InetAddress.getByName(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "10.0.0.1", "169.254.169.254", "192.168.0.1", "fd00::1", "0.0.0.0"})
    void anAllowListForLoopbackOpensNothingElse(String address) throws Exception {
        assertThat(LOOPBACK_ALLOWED.denies(InetAddress.getByName(address))).isPresent();
    }

    @Test
    void anAllowListOpensAPrivateRangeButNotTheMetadataAddress() throws Exception {
        EgressPolicy policy = new EgressPolicy(List.of(EgressPolicy.Cidr.parse("10.0.0.0/8"),
                EgressPolicy.Cidr.parse("fd12:3456::/32")));

        assertThat(policy.denies(InetAddress.getByName("10.20.30.40"))).isEmpty();
        assertThat(policy.denies(InetAddress.getByName("fd12:3456::5"))).isEmpty();
        assertThat(policy.denies(InetAddress.getByName("fd12:3457::5"))).isPresent();
        assertThat(policy.denies(InetAddress.getByName("169.254.169.254"))).isPresent();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.1.2.3/8       | 10.0.0.0/8
            127.0.0.1        | 127.0.0.1/32
            ' 192.168.7.7/16 '| 192.168.0.0/16
            0.0.0.0/0        | 0.0.0.0/0
            fd00:ec2::254/32 | fd00:ec2:0:0:0:0:0:0/32
            ::1              | 0:0:0:0:0:0:0:1/128
            ::ffff:0:0/96    | 0:0:0:0:0:ffff:0:0/96
            """)
    void parsesRangesAndClearsTheirHostBits(String text, String range) {
        assertThat(EgressPolicy.Cidr.parse(text).toString()).isEqualTo(range);
    }

    @Test
    void keepsAnIpv4MappedRangeInIpv6Form() {
        EgressPolicy.Cidr mapped = EgressPolicy.Cidr.parse("::ffff:0:0/96");

        assertThat(mapped.ipv4()).isFalse();
        assertThat(mapped.network()).hasSize(16);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            10.0.0.0/33       | '10.0.0.0/33' has a prefix length above 32, the most for an IPv4 address
            ::1/129           | '::1/129' has a prefix length above 128, the most for an IPv6 address
            10.0.0.0/         | '10.0.0.0/' has no prefix length after '/'
            10.0.0.0/eight    | '10.0.0.0/eight' has no prefix length after '/'
            10.0.0.0/-1       | '10.0.0.0/-1' has no prefix length after '/'
            300.1.1.1/8       | '300.1.1.1/8' is not an IP address or CIDR range (300 is above 255)
            10.1/16           | '10.1/16' is not an IP address or CIDR range
            example.com/24    | 'example.com/24' is not an IP address or CIDR range
            dead.beef         | 'dead.beef' is not an IP address or CIDR range
            fd00:::1/8        | 'fd00:::1/8' is not an IP address or CIDR range
            ''                | '' is not an IP address or CIDR range
            """)
    void refusesTextThatIsNotARangeNamingIt(String text, String message) {
        assertThatThrownBy(() -> EgressPolicy.Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void listsTheBlockedRangesForTheDocumentation() {
        assertThat(EgressPolicy.blockedRanges()).contains("127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
                "fc00:0:0:0:0:0:0:0/7");
    }
}
