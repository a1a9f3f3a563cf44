package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvidenceRedactorTest {
    private static final String R = EvidenceRedactor.REDACTED;

    private static CheckConfig http(HttpProbeSpec spec) {
        return new CheckConfig("api", Duration.ofSeconds(10), Duration.ofSeconds(5), spec);
    }

    private static final EvidenceRedactor CONFIGURED = EvidenceRedactor.of(http(
            HttpProbeSpec.get(URI.create("https://user:url-pass-1@api.test/health?api=query-value-9&x=ab"))
                    .withHeaders(List.of(new HttpHeader("X-Api-Key", "header-secret-7")))
                    .withAuth(Optional.of(new HttpAuth.Basic("probe", "basic-pass-3")))
                    .withProxy(Optional.of(URI.create("http://proxyuser:proxy-pass-5@proxy.test:3128")))));

    @Test
    void blanksTheValuesOfCredentialHeadersWhateverTheirCase() {
        EvidenceRedactor redactor = EvidenceRedactor.NONE;

        assertThat(redactor.header("Authorization", "Bearer abc")).isEqualTo(R);
        assertThat(redactor.header("proxy-authorization", "Basic abc")).isEqualTo(R);
        assertThat(redactor.header("Cookie", "a=b")).isEqualTo(R);
        assertThat(redactor.header("Set-Cookie", "sid=42; Path=/")).isEqualTo(R);
        assertThat(redactor.header("X-Auth-Token", "t")).isEqualTo(R);
        assertThat(redactor.header("X-Session-Id", "s")).isEqualTo(R);
        assertThat(redactor.header("X-Client-Secret", "s")).isEqualTo(R);
        assertThat(redactor.header("X-Api-Key", "k")).isEqualTo(R);
        assertThat(redactor.header("X-Password-Hint", "p")).isEqualTo(R);
    }

    @Test
    void keepsOrdinaryHeaders() {
        assertThat(EvidenceRedactor.NONE.header("Content-Type", "text/html")).isEqualTo("text/html");
        assertThat(EvidenceRedactor.NONE.header("Retry-After", "120")).isEqualTo("120");
    }

    @Test
    void blanksEveryConfiguredSecretWhereverItAppears() {
        String text = "echo header-secret-7 basic-pass-3 query-value-9 url-pass-1 proxy-pass-5 and more";

        assertThat(CONFIGURED.text(text)).isEqualTo("echo " + R + " " + R + " " + R + " " + R + " " + R + " and more");
        assertThat(CONFIGURED.header("Server", "nginx header-secret-7")).isEqualTo("nginx " + R);
    }

    @Test
    void findsABearerTokenOfTheCheckAndAPercentEncodedQueryValueDecoded() {
        EvidenceRedactor redactor = EvidenceRedactor.of(http(
                HttpProbeSpec.get(URI.create("http://api.test/?sig=a%2Fb%2Fcd"))
                        .withAuth(Optional.of(new HttpAuth.Bearer("bearer-token-11")))));

        assertThat(redactor.text("got bearer-token-11, a/b/cd and a%2Fb%2Fcd"))
                .isEqualTo("got " + R + ", " + R + " and " + R);
    }

    @Test
    void leavesValuesTooShortToBeSecretsAlone() {
        assertThat(CONFIGURED.text("ab abc")).as("query value 'ab' is shorter than 4 characters").isEqualTo("ab abc");
    }

    @Test
    void blanksTheValuesOfSecretLookingAssignmentsInABody() {
        String body = "password=hunter2&user=bob\n{\"api_key\": \"k-123\", \"name\": \"x\"}\n"
                + "Token: abc.def\nPASSWD:pw secret = s3 access_key=AK apikey=zz";

        assertThat(EvidenceRedactor.NONE.body(body)).isEqualTo("password=" + R + "&user=bob\n{\"api_key\": \""
                + R + "\", \"name\": \"x\"}\nToken: " + R + "\nPASSWD:" + R + " secret = " + R + " access_key="
                + R + " apikey=" + R);
    }

    @Test
    void leavesABodyWithoutSecretsUnchanged() {
        String body = "<html><body>Service Unavailable: try again later</body></html>";

        assertThat(CONFIGURED.body(body)).isSameAs(body);
    }

    @Test
    void aCheckOtherThanHttpHasNoConfiguredSecrets() {
        EvidenceRedactor redactor = EvidenceRedactor.of(new CheckConfig("db", Duration.ofSeconds(10),
                Duration.ofSeconds(5), TcpProbeSpec.connect("127.0.0.1", 5432)));

        assertThat(redactor.text("127.0.0.1:5432 refused")).isEqualTo("127.0.0.1:5432 refused");
    }
}
