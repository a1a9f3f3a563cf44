package dev.vigil.agent.probe;

import dev.vigil.config.check.TlsSettings;
import dev.vigil.protocol.Outcome;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * A TLS handshake as one step of a TCP or TLS run: timed as the run's TLS phase, a failure classified
 * and explained ({@link TlsFailure}), the chain's facts recorded ({@link TlsSessionFacts}) and its
 * validity margin checked against the check's {@code min_validity}.
 */
final class TlsHandshake {
    private TlsHandshake() {
    }

    /**
     * Starts the handshake on the connected {@code channel} of {@code run}, naming {@code host}
     * (or the settings' server name) for SNI and verification, and calls {@code verified} on the loop
     * once the handshake succeeded and the chain is valid long enough; otherwise ends the run.
     */
    static void start(ProbeRun run, Channel channel, SslContext context, TlsSettings settings, String host, int port,
            InstantSource clock, Runnable verified) {
        SslHandler ssl = context.newHandler(channel.alloc(), settings.serverName().orElse(host), port);
        // The run's own deadline bounds the handshake; Netty's 10 s default would only mask it.
        ssl.setHandshakeTimeoutMillis(0);
        run.handshaking();
        // Added to a connected channel, the handler starts the handshake at once.
        channel.pipeline().addFirst(ssl);
        ssl.handshakeFuture().addListener(handshake -> {
            if (run.done()) {
                return;
            }
            if (!handshake.isSuccess()) {
                TlsFailure.fail(run, handshake.cause(), settings);
                return;
            }
            run.handshaken();
            List<X509Certificate> chain = TlsSessionFacts.record(run, ssl.engine().getSession());
            run.evidence().chain(chain);
            Optional<String> tooSoon = TlsSessionFacts.expiringTooSoon(chain, settings.minValidity(), clock.instant());
            if (tooSoon.isPresent()) {
                run.finish(Outcome.CERT_EXPIRING, tooSoon.get() + " (" + run.target() + ")");
                return;
            }
            verified.run();
        });
    }
}
