package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.testsupport.dns.ScriptedDnsServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** An event loop group, a scripted DNS server and a probe factory using both, for probe tests. */
final class ProbeHarness implements AutoCloseable, AfterAllCallback {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final ScriptedDnsServer dns = ScriptedDnsServer.start().answer("web.test", "127.0.0.1");
    private final ProbeFactory factory;

    ProbeHarness(TrustManagerFactory trust) {
        factory = new ProbeFactory(group, new SingletonDnsServerAddressStreamProvider(dns.address()), trust);
    }

    ProbeResult run(ProbeSpec spec, Duration timeout) throws Exception {
        CheckConfig check = new CheckConfig("check", timeout.multipliedBy(2), timeout, spec);
        return factory.create(check).run(group.next()).toCompletableFuture().get(timeout.toMillis() + 5_000,
                TimeUnit.MILLISECONDS);
    }

    ProbeResult get(URI url) throws Exception {
        return run(HttpProbeSpec.get(url), Duration.ofSeconds(5));
    }

    ProbeResult connect(String host, int port) throws Exception {
        return run(TcpProbeSpec.connect(host, port), Duration.ofSeconds(5));
    }

    /** Closes the harness after the last test of the class that registered it. */
    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        factory.close();
        dns.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
