package dev.vigil.agent.probe;

import dev.vigil.agent.config.CheckConfig;
import dev.vigil.agent.config.TcpProbeSpec;
import dev.vigil.protocol.Outcome;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Probes a TCP port: resolve, connect, close. Success means the handshake completed. */
public final class TcpProbe implements Probe {
    private final TcpProbeSpec spec;
    private final Duration timeout;
    private final DnsNameResolver resolver;

    /** A probe for {@code check}, whose settings are {@code spec}, resolving names with what {@code factory} shares. */
    public TcpProbe(CheckConfig check, TcpProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.resolver = factory.resolver(spec.network());
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), spec.port());
        loop.execute(() -> {
            run.begin();
            run.resolve(resolver, spec.port(), address ->
                    run.connect(address, spec.network().sourceAddress(), Discard.INSTANCE, channel -> run.finish(Outcome.OK, "")));
        });
        return run.result();
    }

    /** Drops anything the peer sends in the moment before the probe closes the connection. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
