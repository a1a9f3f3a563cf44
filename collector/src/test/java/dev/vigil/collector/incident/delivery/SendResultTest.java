package dev.vigil.collector.incident.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.Secret;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendResultTest {

    @Test
    void aSecretIsReplacedWhereverAnErrorShowsIt() {
        Secret key = Secret.of("r0uting-key");
        Optional<Duration> wait = Optional.of(Duration.ofSeconds(5));

        assertThat(new SendResult.Retry("HTTP 502: bad key r0uting-key", wait).withoutSecret(key, "<routing key>"))
                .isEqualTo(new SendResult.Retry("HTTP 502: bad key <routing key>", wait));
        assertThat(new SendResult.Rejected("r0uting-key, r0uting-key").withoutSecret(key, "<routing key>"))
                .isEqualTo(new SendResult.Rejected("<routing key>, <routing key>"));
        assertThat(new SendResult.Gone("HTTP 410: r0uting-key").withoutSecret(key, "<routing key>"))
                .isEqualTo(new SendResult.Gone("HTTP 410: <routing key>"));
        assertThat(new SendResult.Delivered(202).withoutSecret(key, "<routing key>"))
                .isEqualTo(new SendResult.Delivered(202));
    }
}
