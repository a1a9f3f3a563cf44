package dev.vigil.agent.probe;

import dev.vigil.agent.config.EvidenceSettings;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.HostProbeSpec;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.check.IpFamily;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TlsProbeSpec;
import dev.vigil.agent.icmp.IcmpSockets;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProvider;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the probe for each check, and owns what probes share besides the event loops: the DNS
 * resolvers (one per distinct family policy and name server list), the client TLS contexts, the
 * ICMP sockets and the host reader thread. The event loop group is borrowed; {@link #close()}
 * closes the rest.
 */
public final class ProbeFactory implements AutoCloseable {
    private final EventLoopGroup group;
    private final DnsServerAddressStreamProvider defaultNameServers;
    private final TlsContexts tls;
    private final InstantSource clock;
    private final EvidenceSettings evidence;
    private final Map<ResolverKey, DnsNameResolver> resolvers = new ConcurrentHashMap<>();
    private IcmpSockets icmp;
    private ScheduledExecutorService hostReader;

    /**
     * A factory whose probes ask the name servers of {@code nameServers} unless a check names its
     * own, and trust the servers that {@code trust} trusts (null = the JVM's default trust store)
     * unless a check names a CA file. Resolvers run on loops of {@code group}.
     */
    public ProbeFactory(EventLoopGroup group, DnsServerAddressStreamProvider nameServers, TrustManagerFactory trust) {
        this(group, nameServers, trust, InstantSource.system());
    }

    /**
     * As {@link #ProbeFactory(EventLoopGroup, DnsServerAddressStreamProvider, TrustManagerFactory)},
     * with {@code clock} telling probes the time of day: certificate validity is judged against it
     * (phase durations still come from {@code System.nanoTime}).
     */
    public ProbeFactory(EventLoopGroup group, DnsServerAddressStreamProvider nameServers, TrustManagerFactory trust,
            InstantSource clock) {
        this(group, nameServers, trust, clock, EvidenceSettings.DEFAULT);
    }

    /**
     * As {@link #ProbeFactory(EventLoopGroup, DnsServerAddressStreamProvider, TrustManagerFactory, InstantSource)},
     * with failed runs capturing evidence as {@code evidence} says (the others capture it with the defaults).
     */
    public ProbeFactory(EventLoopGroup group, DnsServerAddressStreamProvider nameServers, TrustManagerFactory trust,
            InstantSource clock, EvidenceSettings evidence) {
        this.group = group;
        this.defaultNameServers = nameServers;
        this.tls = new TlsContexts(trust);
        this.clock = clock;
        this.evidence = evidence;
    }

    /** A factory using the machine's name servers ({@code /etc/resolv.conf}) and the JVM's trust store. */
    public static ProbeFactory withSystemDefaults(EventLoopGroup group) {
        return withSystemDefaults(group, EvidenceSettings.DEFAULT);
    }

    /** As {@link #withSystemDefaults(EventLoopGroup)}, capturing failure evidence as {@code evidence} says. */
    public static ProbeFactory withSystemDefaults(EventLoopGroup group, EvidenceSettings evidence) {
        return new ProbeFactory(group, DnsServerAddressStreamProviders.platformDefault(), null, InstantSource.system(),
                evidence);
    }

    /**
     * The probe for {@code check}.
     *
     * @throws IllegalArgumentException when the check's settings cannot be used (an unreadable key file)
     */
    public Probe create(CheckConfig check) {
        // Java 17 has no pattern switch over the sealed ProbeSpec, so the enum switch (exhaustive) plus a cast.
        return switch (check.probe().type()) {
            case HTTP -> new HttpProbe(check, (HttpProbeSpec) check.probe(), this);
            case TCP -> new TcpProbe(check, (TcpProbeSpec) check.probe(), this);
            case TLS -> new TlsProbe(check, (TlsProbeSpec) check.probe(), this);
            case DNS -> new DnsProbe(check, (DnsProbeSpec) check.probe(), this);
            case ICMP -> new IcmpProbe(check, (IcmpProbeSpec) check.probe(), this);
            case HOST -> new HostProbe(check, (HostProbeSpec) check.probe(), this);
        };
    }

    /**
     * The resolver for {@code network}'s family policy and name servers, created on first use. It
     * keeps no cache: every run does a real lookup, so the DNS phase measures the name service the
     * way a client without a warm cache meets it.
     */
    DnsNameResolver resolver(NetworkSettings network) {
        return resolvers.computeIfAbsent(new ResolverKey(network), this::newResolver);
    }

    /** The shared TLS contexts. */
    TlsContexts tls() {
        return tls;
    }

    /** How the probe of {@code check} captures failure evidence, with a redactor for its secrets. */
    EvidenceCapture evidence(CheckConfig check) {
        if (!evidence.enabled()) {
            return EvidenceCapture.DISABLED;
        }
        return new EvidenceCapture(true, evidence.bodyBytes(), EvidenceRedactor.of(check));
    }

    /** The time of day, for judging certificate validity. */
    InstantSource clock() {
        return clock;
    }


    /** The agent's ICMP sockets, created on first use (they open nothing until a probe pings). */
    synchronized IcmpSockets icmp() {
        if (icmp == null) {
            icmp = IcmpSockets.open();
        }
        return icmp;
    }

    /** The thread that reads the host's figures (files in /proc, file system sizes) off the event loops. */
    synchronized ScheduledExecutorService hostReader() {
        if (hostReader == null) {
            hostReader = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "vigil-host-reader");
                thread.setDaemon(true);
                return thread;
            });
        }
        return hostReader;
    }

    /** Closes the DNS resolvers, the ICMP sockets and the host reader. */
    @Override
    public void close() {
        resolvers.values().forEach(DnsNameResolver::close);
        resolvers.clear();
        synchronized (this) {
            if (icmp != null) {
                icmp.close();
                icmp = null;
            }
            if (hostReader != null) {
                hostReader.shutdownNow();
                hostReader = null;
            }
        }
    }

    private DnsNameResolver newResolver(ResolverKey key) {
        DnsServerAddressStreamProvider servers = key.nameServers().isEmpty()
                ? defaultNameServers
                : new SequentialDnsServerAddressStreamProvider(key.nameServers());
        return new DnsNameResolverBuilder(group.next())
                .datagramChannelType(NioDatagramChannel.class)
                .socketChannelType(NioSocketChannel.class)
                .resolveCache(NoopDnsCache.INSTANCE)
                .cnameCache(NoopDnsCnameCache.INSTANCE)
                .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
                .nameServerProvider(servers)
                .resolvedAddressTypes(key.addressTypes())
                .build();
    }

    /** What distinguishes one resolver from another. */
    private record ResolverKey(ResolvedAddressTypes addressTypes, List<InetSocketAddress> nameServers) {
        ResolverKey(NetworkSettings network) {
            this(addressTypes(network), network.nameServers());
        }

        private static ResolvedAddressTypes addressTypes(NetworkSettings network) {
            if (network.preferredFamily() == IpFamily.IPV4) {
                return network.fallback() ? ResolvedAddressTypes.IPV4_PREFERRED : ResolvedAddressTypes.IPV4_ONLY;
            }
            return network.fallback() ? ResolvedAddressTypes.IPV6_PREFERRED : ResolvedAddressTypes.IPV6_ONLY;
        }
    }
}
