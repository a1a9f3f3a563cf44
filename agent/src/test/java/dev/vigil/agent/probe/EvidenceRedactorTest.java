package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
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
                + "Token: abc.def\nsecret = s3 access_key=AK apikey=zz\nPASSWD:pw";

        assertThat(EvidenceRedactor.NONE.text(body)).isEqualTo("password=" + R + "&user=bob\n{\"api_key\": \""
                + R + "\", \"name\": \"x\"}\nToken: " + R + "\nsecret = " + R + " access_key=" + R + " apikey="
                + R + "\nPASSWD:" + R);
    }

    @Test
    void blanksQuotedValuesWholeAndUnquotedOnesUpToTheirDelimiter() {
        String text = "{\"password\": \"correct horse battery\", \"user\": \"bob\"}\n"
                + "secret: 'two words'\n"
                + "password: correct horse battery\n"
                + "token=a.b-c_d;next=1 passwd=\"x y\" api_key=k1,other=2 apikey=k2&z=3";

        assertThat(EvidenceRedactor.NONE.text(text)).isEqualTo("{\"password\": \"" + R + "\", \"user\": \"bob\"}\n"
                + "secret: '" + R + "'\n"
                + "password: " + R + "\n"
                + "token=" + R + ";next=1 passwd=\"" + R + "\" api_key=" + R + ",other=2 apikey=" + R + "&z=3");
    }

    @Test
    void blanksTheSecretQueryValuesOfARedirectLocation() {
        String location = "https://app.test/cb?code=abc&access_token=XYZ&sig=s1&signature=s2&state=ok";

        assertThat(EvidenceRedactor.NONE.header("Location", location)).isEqualTo("https://app.test/cb?code=" + R
                + "&access_token=" + R + "&sig=" + R + "&signature=" + R + "&state=ok");
    }

    @Test
    void keepsCodeSigAndSignatureThatAreNotQueryAssignments() {
        String text = "{\"code\": 503, \"zipcode\": \"x\"} zipcode=12345 errorcode=7";

        assertThat(EvidenceRedactor.NONE.text(text)).isSameAs(text);
    }

    @Test
    void blanksAssignmentsInTheStatusLineAndTheErrorText() {
        assertThat(EvidenceRedactor.NONE.text("HTTP/1.1 400 Bad token=t-1"))
                .isEqualTo("HTTP/1.1 400 Bad token=" + R);
        assertThat(EvidenceRedactor.NONE.text("redirect to http://x.test/?code=c-9 refused: Connection refused"))
                .isEqualTo("redirect to http://x.test/?code=" + R + " refused: Connection refused");
    }

    @Test
    void blanksTheBase64CredentialsOfBasicAuthAsSent() {
        String sent = Base64.getEncoder().encodeToString("probe:basic-pass-3".getBytes(
                StandardCharsets.UTF_8));
        String proxySent = Base64.getEncoder().encodeToString("proxyuser:proxy-pass-5".getBytes(
                StandardCharsets.UTF_8));

        assertThat(CONFIGURED.text("<pre>you sent: Basic " + sent + " via Basic " + proxySent + "</pre>"))
                .isEqualTo("<pre>you sent: Basic " + R + " via Basic " + R + "</pre>");
    }

    @Test
    void blanksTheBareTokenOfAConfiguredAuthorizationHeader() {
        EvidenceRedactor redactor = EvidenceRedactor.of(http(HttpProbeSpec.get(URI.create("http://api.test/"))
                .withHeaders(List.of(new HttpHeader("Authorization", "Bearer configured-tok-1"),
                        new HttpHeader("X-Upstream-Auth", "Token other-tok-22")))));

        assertThat(redactor.text("token configured-tok-1 was refused; so was other-tok-22"))
                .isEqualTo("token " + R + " was refused; so was " + R);
    }

    @Test
    void leavesABodyWithoutSecretsUnchanged() {
        String body = "<html><body>Service Unavailable: try again later</body></html>";

        assertThat(CONFIGURED.text(body)).isSameAs(body);
    }

    @Test
    void aCheckOtherThanHttpHasNoConfiguredSecrets() {
        EvidenceRedactor redactor = EvidenceRedactor.of(new CheckConfig("db", Duration.ofSeconds(10),
                Duration.ofSeconds(5), TcpProbeSpec.connect("127.0.0.1", 5432)));

        assertThat(redactor.text("127.0.0.1:5432 refused")).isEqualTo("127.0.0.1:5432 refused");
    }
}
