package dev.vigil.collector.incident.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.Secret;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.target.RedirectingHttpServer;
import dev.vigil.testsupport.target.StallingServer;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sinks' HTTP client against loopback servers: the egress guard, redirects, the deadline, the body cap. */
class SinkHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    static Vertx vertx;
    static SinkHttp guarded;
    static SinkHttp loopbackAllowed;
    RecordingWebhookReceiver receiver;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
        guarded = new SinkHttp(vertx, EgressPolicy.DEFAULT);
        loopbackAllowed = new SinkHttp(vertx, new EgressPolicy(List.of(EgressPolicy.Cidr.parse("127.0.0.0/8"))));
    }

    @AfterAll
    static void stopVertx() throws Exception {
        guarded.close();
        loopbackAllowed.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = RecordingWebhookReceiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void refusesALoopbackAddressBeforeAnyConnection() {
        try (StallingServer server = StallingServer.start()) {
            Throwable failure = failure(guarded.send(post(URI.create("http://127.0.0.1:" + server.port() + "/hook"))));

            assertThat(failure).isInstanceOf(EgressDeniedException.class)
                    .hasMessage("127.0.0.1: 127.0.0.1 is a loopback address, blocked for sinks unless listed in "
                            + "incidents.egress.allow");
            assertThat(server.connections()).isZero();
            assertThat(HttpVerdict.ofFailure(failure)).isEqualTo(new SendResult.Rejected(failure.getMessage()));
        }
    }

    @Test
    void refusesAHostNameThatResolvesToLoopback() {
        Throwable failure = failure(guarded.send(post(URI.create("http://localhost:" + receiver.port() + "/hook"))));

        assertThat(failure).isInstanceOf(EgressDeniedException.class)
                .hasMessageStartingWith("localhost: ")
                .hasMessageContaining("is a loopback address");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void postsToALoopbackAddressTheAllowListOpens() throws Exception {
        SinkResponse response = await(loopbackAllowed.send(post(receiver.url("/hook"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().toString(StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(response.json()).hasValueSatisfying(json -> assertThat(json.getBoolean("ok")).isTrue());
        RecordingWebhookReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo("{\"hello\":1}");
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "vigil-collector")
                .containsEntry("x-extra", "yes");
    }

    @Test
    void connectsToTheCheckedAddressKeepingTheNameInTheHostHeader() throws Exception {
        SinkResponse response = await(loopbackAllowed.send(post(URI.create("http://localhost:" + receiver.port()
                + "/hook?x=1"))));

        assertThat(response.status()).isEqualTo(200);
        assertThat(receiver.requests()).singleElement().satisfies(request -> {
            assertThat(request.headers()).containsEntry("host", "localhost:" + receiver.port());
            assertThat(request.path()).isEqualTo("/hook");
        });
    }

    @Test
    void doesNotFollowARedirectToAnotherLoopbackServer() throws Exception {
        try (RedirectingHttpServer redirecting = RedirectingHttpServer.start(302)) {
            URI away = URI.create(redirecting.url("/away") + "?to=" + receiver.url("/landing"));

            SinkResponse response = await(loopbackAllowed.send(post(away)));

            assertThat(response.status()).isEqualTo(302);
            assertThat(redirecting.requests()).hasSize(1);
            assertThat(receiver.requests()).isEmpty();
            assertThat(HttpVerdict.of(response, new TestClock(0))).isInstanceOfSatisfying(SendResult.Rejected.class,
                    rejected -> assertThat(rejected.error()).startsWith("HTTP 302").contains("not followed"));
        }
    }

    @Test
    void givesUpOnAServerThatAcceptsAndNeverAnswersAtTheDeadline() {
        try (StallingServer server = StallingServer.start()) {
            SinkRequest request = new SinkRequest(HttpMethod.POST, URI.create("http://127.0.0.1:" + server.port()
                    + "/secret-path"), Map.of(), Optional.of(Buffer.buffer("{}")), Duration.ofMillis(300));

            Throwable failure = failure(loopbackAllowed.send(request));

            assertThat(server.connections()).isEqualTo(1);
            assertThat(failure).isInstanceOf(TimeoutException.class)
                    .hasMessage("no answer from http://127.0.0.1:" + server.port() + "/… within 300 ms");
            assertThat(HttpVerdict.ofFailure(failure)).isInstanceOf(SendResult.Retry.class);
        }
    }

    @Test
    void keepsOnlyTheFirstBytesOfALongResponse() throws Exception {
        byte[] huge = new byte[SinkHttp.MAX_RESPONSE_BYTES * 3];
        Arrays.fill(huge, (byte) 'x');
        try (CannedHttpServer server = CannedHttpServer.start(CannedHttpServer.Response.of(500).body(huge))) {
            SinkResponse response = await(loopbackAllowed.send(post(server.url("/hook"))));

            assertThat(response.status()).isEqualTo(500);
            assertThat(response.body().length()).isEqualTo(SinkHttp.MAX_RESPONSE_BYTES);
            assertThat(response.json()).isEmpty();
            assertThat(response.describe()).hasSize("HTTP 500: ".length() + 200 + 1);
        }
    }

    @Test
    void refusesAUrlThatIsNotHttpWithoutShowingItsPath() {
        Throwable failure = failure(loopbackAllowed.send(post(URI.create("ftp://files.example/secret-path"))));

        assertThat(failure).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an absolute http(s) URL: ftp://files.example/…");
        assertThat(HttpVerdict.ofFailure(failure)).isInstanceOf(SendResult.Rejected.class);
    }

    @Test
    void redactsTheUserInfoPathAndQueryOfAUrl() {
        assertThat(SinkHttp.redacted(URI.create("https://user:pw@hooks.slack.com:8443/services/T0/B0/s3cret?k=v")))
                .isEqualTo("https://hooks.slack.com:8443/…");
    }

    @Test
    void readsASecretUrlWithoutEverShowingIt() {
        assertThat(SinkHttp.secretUrl(Secret.of("https://hooks.slack.com/services/T0/B0/s3cret"), "slack sink 'chat'"))
                .isEqualTo(URI.create("https://hooks.slack.com/services/T0/B0/s3cret"));
        assertThatThrownBy(() -> SinkHttp.secretUrl(Secret.of("https://hooks.slack.com/services/T0/B0/s3 cret"),
                "slack sink 'chat'"))
                .hasMessage("slack sink 'chat': webhook_url is not a valid URL (at character 41)");
        assertThatThrownBy(() -> SinkHttp.secretUrl(Secret.of("hooks.slack.com/services/T0/B0/s3cret"),
                "teams sink 'ops'"))
                .hasMessage("teams sink 'ops': webhook_url must be an absolute http(s) URL");
    }

    private static SinkRequest post(URI url) {
        return SinkRequest.json(HttpMethod.POST, url, Map.of("X-Extra", "yes"),
                Optional.of(Buffer.buffer("{\"hello\":1}")), TIMEOUT);
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("the request neither failed nor succeeded within 10 s", e);
        }
        throw new AssertionError("the request succeeded");
    }
}
