package dev.vigil.agent.probe;

import dev.vigil.agent.config.CheckConfig;
import dev.vigil.agent.config.HttpProbeSpec;
import dev.vigil.agent.config.TcpProbeSpec;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the probe for each check, and owns what probes share besides the event loops: the DNS
 * resolver and the client TLS context. The event loop group is borrowed; {@link #close()} closes
 * only the resolver.
 */
public final class ProbeFactory implements AutoCloseable {
    private final DnsNameResolver resolver;
    private final SslContext tls;

    /**
     * A factory whose probes ask the name servers of {@code nameServers} and trust the servers that
     * {@code trust} trusts (null = the JVM's default trust store). The resolver runs on a loop of
     * {@code group}.
     */
    public ProbeFactory(EventLoopGroup group, DnsServerAddressStreamProvider nameServers, TrustManagerFactory trust) {
        // No caches: every run does a real lookup, so the DNS phase measures the name service the
        // way a client without a warm cache meets it.
        this.resolver = new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .nameServerProvider(nameServers)
                .resolvedAddressTypes(ResolvedAddressTypes.IPV4_PREFERRED)
                .build();
        try {
            this.tls = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .endpointIdentificationAlgorithm("HTTPS")
                    .trustManager(trust)
                    .build();
        } catch (SSLException e) {
            resolver.close();
            throw new IllegalStateException("cannot build the client TLS context", e);
        }
    }

    /** A factory using the machine's name servers ({@code /etc/resolv.conf}) and the JVM's trust store. */
    public static ProbeFactory withSystemDefaults(EventLoopGroup group) {
        return new ProbeFactory(group, DnsServerAddressStreamProviders.platformDefault(), null);
    }

    /** The probe for {@code check}. */
    public Probe create(CheckConfig check) {
        // Java 17 has no pattern switch over the sealed ProbeSpec, so the enum switch (exhaustive) plus a cast.
        return switch (check.probe().type()) {
            case HTTP -> new HttpProbe(check, (HttpProbeSpec) check.probe(), resolver, tls);
            case TCP -> new TcpProbe(check, (TcpProbeSpec) check.probe(), resolver);
        };
    }

    /** Closes the DNS resolver. */
    @Override
    public void close() {
        resolver.close();
    }
}
