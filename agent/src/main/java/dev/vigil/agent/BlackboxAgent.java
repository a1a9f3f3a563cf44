package dev.vigil.agent;

import dev.vigil.agent.blackbox.BlackboxConfig;
import dev.vigil.agent.blackbox.BlackboxEndpoint;
import dev.vigil.agent.config.EvidenceSettings;
import dev.vigil.agent.http.AgentHttpServer;
import dev.vigil.agent.http.Health;
import dev.vigil.agent.probe.ProbeFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An agent that only answers {@code /probe} from a blackbox_exporter module file: no checks, no
 * journal, no collector. It serves {@code /probe}, {@code /metrics} (its own and the JVM's) and
 * {@code /healthz}, and owns its event loop group and probe factory. Wiring only.
 */
public final class BlackboxAgent implements AutoCloseable {
    /** The name {@code /healthz} reports. */
    public static final String NAME = "vigil-blackbox";

    private EventLoopGroup group;
    private ProbeFactory probes;
    private BlackboxEndpoint endpoint;
    private AgentHttpServer http;
    private boolean closed;

    private BlackboxAgent() {
    }

    /**
     * Starts answering {@code /probe} for the modules of {@code config} on {@code listen} (port 0:
     * ephemeral), with the machine's name servers and the JVM's trust store.
     *
     * @throws UncheckedIOException when {@code listen} cannot be bound
     */
    public static BlackboxAgent start(BlackboxConfig config, InetSocketAddress listen) {
        BlackboxAgent agent = new BlackboxAgent();
        try {
            agent.open(config, listen);
            return agent;
        } catch (Throwable e) {
            agent.close();
            throw e;
        }
    }

    private void open(BlackboxConfig config, InetSocketAddress listen) {
        group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("vigil-io"), NioIoHandler.newFactory());
        // Its samples go nowhere but the /probe answer: no failure evidence to capture.
        probes = ProbeFactory.withSystemDefaults(group, EvidenceSettings.DISABLED);
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        endpoint = new BlackboxEndpoint(config, probes, BlackboxEndpoint.DEFAULT_MAX_IN_FLIGHT, registry);
        http = AgentHttpServer.start(listen, group, registry, () -> new Health(NAME, 0, List.of()), endpoint);
    }

    /** Where {@code /probe} is served, with the real port. */
    public InetSocketAddress httpAddress() {
        return http.address();
    }

    /** The endpoint answering {@code /probe}. */
    public BlackboxEndpoint endpoint() {
        return endpoint;
    }

    /** Stops listening, closes the resolvers and shuts the event loop group down. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (http != null) {
            http.close();
        }
        if (probes != null) {
            probes.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
