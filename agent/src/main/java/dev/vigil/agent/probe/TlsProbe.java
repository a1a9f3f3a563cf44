package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.TlsProbeSpec;
import dev.vigil.protocol.Outcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Probes a TLS server: resolve, connect, complete a full handshake, record the chain, close (with a
 * {@code close_notify}). The handshake fails as {@link Outcome#TLS_FAILED} with the reason (not
 * trusted, self-signed, expired, not yet valid, wrong name, no version in common, client certificate
 * missing); a chain with a certificate that expires sooner than {@code tls.min_validity}, judged
 * against the factory's clock, is {@link Outcome#CERT_EXPIRING}.
 */
public final class TlsProbe implements Probe {
    private final TlsProbeSpec spec;
    private final Duration timeout;
    private final EvidenceCapture evidence;
    private final DnsNameResolver resolver;
    private final SslContext tls;
    private final InstantSource clock;

    /**
     * A probe for {@code check}, whose settings are {@code spec}, resolving names, speaking TLS and
     * reading the clock with what {@code factory} shares.
     *
     * @throws IllegalArgumentException when the TLS settings cannot be used (an unreadable key file)
     */
    public TlsProbe(CheckConfig check, TlsProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.evidence = factory.evidence(check);
        this.resolver = factory.resolver(spec.network());
        this.tls = factory.tls().client(spec.tls(), List.of());
        this.clock = factory.clock();
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), spec.port(), evidence);
        loop.execute(() -> {
            run.begin();
            run.resolve(resolver, spec.port(), address -> connect(run, address));
        });
        return run.result();
    }

    private void connect(ProbeRun run, InetSocketAddress address) {
        run.connect(address, spec.network().sourceAddress(), new Discard(run), channel -> handshake(run, channel));
    }

    private void handshake(ProbeRun run, Channel channel) {
        TlsHandshake.start(run, channel, tls, spec.tls(), spec.host(), spec.port(), clock,
                () -> run.finish(Outcome.OK, ""));
    }

    /**
     * Drops what the server sends after the handshake (a session ticket is consumed by the TLS
     * handler, application data is not wanted), and ends the run on errors the handshake does not report.
     */
    private static final class Discard extends ChannelInboundHandlerAdapter {
        private final ProbeRun run;

        Discard(ProbeRun run) {
            this.run = run;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!run.done()) {
                run.finish(Outcome.CONNECTION_RESET, "connection to " + run.target() + " closed by the peer "
                        + "before the TLS handshake completed");
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A handshake failure reaches here too, after the handshake future has ended the run.
            run.fail(cause);
        }
    }
}
