package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.await;
import static dev.vigil.collector.incident.sink.SinkTestBed.eventOf;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.config.WebhookSecret;
import dev.vigil.collector.evidence.EvidenceJson;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.delivery.EgressPolicy;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.target.CannedHttpServer;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver.Request;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generic webhook against a recording receiver that checks Standard Webhooks signatures. */
class WebhookSinkTest {
    private static final byte[] NEW_KEY = "the new signing key, rotated in".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OLD_KEY = "the old signing key, going away".getBytes(StandardCharsets.UTF_8);

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    RecordingWebhookReceiver receiver;
    TestClock clock;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = RecordingWebhookReceiver.start();
        clock = new TestClock(STARTED + 20_000);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void postsThePayloadWithStandardWebhooksHeadersSignedWithEveryKeyNewestFirst() throws Exception {
        IncidentEvent event = IncidentEvent.of(IncidentEventType.OPENED, openIncident());

        SendResult result = await(sink(receiver.url("/hooks"), NEW_KEY, OLD_KEY).send(event));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks");
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("webhook-id", "service/checkout@1709287200000:opened")
                .containsEntry("webhook-timestamp", Long.toString((STARTED + 20_000) / 1000));
        assertThat(new JsonObject(request.body())).isEqualTo(event.payload());
        assertThat(request.signatures()).hasSize(2).allSatisfy(s -> assertThat(s).startsWith("v1,"));
        assertThat(request.signedWith(NEW_KEY)).isTrue();
        assertThat(request.signedWith(OLD_KEY)).isTrue();
        assertThat(request.signedWith("a key it never had".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(withOnlySignature(request, 0).signedWith(NEW_KEY)).isTrue();
        assertThat(withOnlySignature(request, 1).signedWith(OLD_KEY)).isTrue();
    }

    @Test
    void readsAWhsecSecretAsBase64AndSignsWithItsDecodedBytes() throws Exception {
        WebhookSecret secret = WebhookSecret.parse("whsec_" + Base64.getEncoder().encodeToString(NEW_KEY));
        WebhookSink sink = new WebhookSink(new SinkConfig.Webhook(SinkSettings.named("hook"), receiver.url("/hooks"),
                List.of(secret)), bed.http(), clock);

        await(sink.send(IncidentEvent.of(IncidentEventType.OPENED, openIncident())));

        Request request = receiver.requests().get(0);
        assertThat(request.signatures()).hasSize(1);
        assertThat(request.signedWith(NEW_KEY)).isTrue();
    }

    @Test
    void sendsNoSignatureHeaderWhenNoSecretIsConfigured() throws Exception {
        SendResult result = await(sink(receiver.url("/hooks")).send(IncidentEvent.of(IncidentEventType.OPENED,
                openIncident())));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        assertThat(receiver.requests().get(0).headers()).containsKey("webhook-id")
                .doesNotContainKey("webhook-signature");
    }

    @ParameterizedTest
    @EnumSource(IncidentEventType.class)
    void sendsEveryEventTypeWithItsOwnId(IncidentEventType type) throws Exception {
        IncidentEvent event = event(type);

        SendResult result = await(sink(receiver.url("/hooks"), NEW_KEY).send(event));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        Request request = receiver.requests().get(0);
        assertThat(request.headers()).containsEntry("webhook-id", event.eventId());
        assertThat(new JsonObject(request.body()).getString("type")).isEqualTo("incident." + type.label());
        assertThat(request.signedWith(NEW_KEY)).isTrue();
    }

    @Test
    void retriesWithTheSameIdAndBodyAndAFreshlySignedTimestamp() throws Exception {
        WebhookSink sink = sink(receiver.url("/hooks"), NEW_KEY, OLD_KEY);
        IncidentEvent event = IncidentEvent.of(IncidentEventType.OPENED, openIncident());
        receiver.failNext(1, 503);

        SendResult first = await(sink.send(event));
        clock.advance(Duration.ofSeconds(30));
        SendResult second = await(sink.send(event));

        assertThat(first).isInstanceOf(SendResult.Retry.class);
        assertThat(second).isEqualTo(new SendResult.Delivered(200));
        List<Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).headers().get("webhook-id")).isEqualTo(requests.get(0).headers().get("webhook-id"));
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(Long.parseLong(requests.get(1).headers().get("webhook-timestamp")))
                .isEqualTo(Long.parseLong(requests.get(0).headers().get("webhook-timestamp")) + 30);
        assertThat(requests).allSatisfy(request -> assertThat(request.signedWith(NEW_KEY)).isTrue());
    }

    @Test
    void retriesA503AfterTheSecondsItsRetryAfterAsksFor() throws Exception {
        try (CannedHttpServer busy = CannedHttpServer.start(CannedHttpServer.Response.of(503)
                .header("Retry-After", "120").body("maintenance"))) {
            SendResult result = await(sink(busy.url("/hooks"), NEW_KEY).send(event(IncidentEventType.OPENED)));

            assertThat(result).isEqualTo(new SendResult.Retry("HTTP 503: maintenance",
                    Optional.of(Duration.ofSeconds(120))));
        }
    }

    @Test
    void retriesA429AfterTheDateItsRetryAfterNames() throws Exception {
        String inNinetySeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                clock.instant().plusSeconds(90).atOffset(ZoneOffset.UTC));
        try (CannedHttpServer limited = CannedHttpServer.start(CannedHttpServer.Response.of(429)
                .header("Retry-After", inNinetySeconds))) {
            SendResult result = await(sink(limited.url("/hooks"), NEW_KEY).send(event(IncidentEventType.OPENED)));

            assertThat(result).isEqualTo(new SendResult.Retry("HTTP 429", Optional.of(Duration.ofSeconds(90))));
        }
    }

    @Test
    void deadLettersAnEventTheReceiverRefusesWith400() throws Exception {
        receiver.failNext(1, 400);

        SendResult result = await(sink(receiver.url("/hooks"), NEW_KEY).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 400: {\"error\":\"scripted failure\"}"));
    }

    @Test
    void reportsTheEndpointGoneOn410() throws Exception {
        receiver.failNext(1, 410);

        SendResult result = await(sink(receiver.url("/hooks"), NEW_KEY).send(event(IncidentEventType.OPENED)));

        assertThat(result).isInstanceOf(SendResult.Gone.class);
    }

    @Test
    void refusesAWebhookOnAPrivateAddressWithoutConnecting() throws Exception {
        try (SinkHttp guarded = new SinkHttp(bed.vertx(), EgressPolicy.DEFAULT)) {
            WebhookSink sink = new WebhookSink(new SinkConfig.Webhook(SinkSettings.named("hook"),
                    receiver.url("/hooks"), List.of()), guarded, clock);

            SendResult result = await(sink.send(event(IncidentEventType.OPENED)));

            assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class,
                    rejected -> assertThat(rejected.error()).contains("127.0.0.1 is a loopback address"));
            assertThat(receiver.requests()).isEmpty();
        }
    }

    @Test
    void anOpeningCarriesTheEvidenceOfTheFirstFailureInTheSameBytesOnEveryAttempt() throws Exception {
        WebhookSink sink = new WebhookSink(new SinkConfig.Webhook(SinkSettings.named("hook"), receiver.url("/hooks"),
                List.of()), bed.http(), clock, SinkTestBed.EVIDENCE);
        Incident open = outage().build();

        await(sink.send(IncidentEvent.of(IncidentEventType.OPENED, open)));
        await(sink.send(IncidentEvent.of(IncidentEventType.OPENED, open)));
        await(sink.send(eventOf(IncidentEventType.RESOLVED, open)));

        JsonObject opened = new JsonObject(receiver.requests().get(0).body());
        assertThat(opened.getJsonArray("evidence")).containsExactly(EvidenceJson.of(SinkTestBed.FIRST_FAILURE));
        assertThat(opened.getJsonArray("evidence").getJsonObject(0).getString("status_line"))
                .isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(receiver.requests().get(1).body()).isEqualTo(receiver.requests().get(0).body());
        assertThat(new JsonObject(receiver.requests().get(2).body()).containsKey("evidence")).isFalse();
    }

    private WebhookSink sink(URI url, byte[]... keys) {
        List<WebhookSecret> secrets = Arrays.stream(keys)
                .map(key -> WebhookSecret.parse(new String(key, StandardCharsets.UTF_8)))
                .toList();
        return new WebhookSink(new SinkConfig.Webhook(SinkSettings.named("hook"), url, secrets), bed.http(), clock);
    }

    private static Request withOnlySignature(Request request, int index) {
        Map<String, String> headers = new HashMap<>(request.headers());
        headers.put("webhook-signature", request.signatures().get(index));
        return new Request(request.method(), request.path(), headers, request.body(), request.status());
    }

    private static IncidentEvent event(IncidentEventType type) {
        return eventOf(type, openIncident());
    }

    private static Incident openIncident() {
        return outage().checks(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")).build();
    }
}
