package dev.vigil.collector.incident.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AttemptStepsTest {
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2024-03-01T10:00:00Z"));

    @Test
    void aDeliveredStepHandsItsResponseToTheNextStep() {
        SinkResponse created = response(201, "{\"key\":\"OPS-1\"}");

        Future<SendResult> attempt = AttemptSteps.check("create", Future.succeededFuture(created), CLOCK)
                .map(response -> new SendResult.Delivered(response.status()));

        assertThat(AttemptSteps.result(attempt).result()).isEqualTo(new SendResult.Delivered(201));
    }

    @Test
    void theFirstStepThatIsNotDeliveredEndsTheAttemptWithItsVerdictNamingTheStep() {
        SinkResponse throttled = response(429, "slow down");
        throttled.headers().add("Retry-After", "30");
        boolean[] secondStepRan = {false};

        Future<SendResult> attempt = AttemptSteps.check("lookup", Future.succeededFuture(throttled), CLOCK)
                .compose(response -> {
                    secondStepRan[0] = true;
                    return Future.succeededFuture(new SendResult.Delivered(201));
                });

        assertThat(AttemptSteps.result(attempt).result())
                .isEqualTo(new SendResult.Retry("lookup: HTTP 429: slow down", Optional.of(Duration.ofSeconds(30))));
        assertThat(secondStepRan[0]).isFalse();
    }

    @Test
    void aStepWithoutAnAnswerIsRetriedAndARefusalIsNot() {
        Future<SinkResponse> refused = AttemptSteps.check("create", Future.succeededFuture(response(400, "bad")),
                CLOCK);
        Future<SinkResponse> unreachable = AttemptSteps.check("lookup",
                Future.failedFuture(new ConnectException("Connection refused")), CLOCK);

        assertThat(AttemptSteps.result(refused.map(r -> new SendResult.Delivered(r.status()))).result())
                .isEqualTo(new SendResult.Rejected("create: HTTP 400: bad"));
        assertThat(AttemptSteps.result(unreachable.map(r -> new SendResult.Delivered(r.status()))).result())
                .isEqualTo(new SendResult.Retry("lookup: ConnectException: Connection refused", Optional.empty()));
    }

    @Test
    void anUnreadableAnswerIsRetried() {
        SinkResponse loginPage = response(200, "<html>log in</html>");

        Future<SendResult> attempt = Future.failedFuture(AttemptSteps.unreadable("lookup", loginPage));

        assertThat(AttemptSteps.result(attempt).result())
                .isEqualTo(new SendResult.Retry("lookup: unreadable answer, HTTP 200: <html>log in</html>",
                        Optional.empty()));
    }

    @Test
    void aBugInASinkIsRetriedRatherThanLost() {
        Future<SendResult> attempt = Future.failedFuture(new IllegalStateException("no issue key"));

        assertThat(AttemptSteps.result(attempt).result()).isEqualTo(new SendResult.Retry(
                "unexpected failure: java.lang.IllegalStateException: no issue key", Optional.empty()));
    }

    private static SinkResponse response(int status, String body) {
        return new SinkResponse(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
    }
}
