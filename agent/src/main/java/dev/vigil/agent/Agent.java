package dev.vigil.agent;

import dev.vigil.agent.config.AgentConfig;
import dev.vigil.agent.assign.AssignmentApplier;
import dev.vigil.agent.assign.AssignmentListener;
import dev.vigil.agent.assign.AssignmentPoller;
import dev.vigil.agent.blackbox.BlackboxConfig;
import dev.vigil.agent.blackbox.BlackboxEndpoint;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.agent.http.AgentHttpServer;
import dev.vigil.agent.http.Health;
import dev.vigil.agent.http.ProbeEndpoint;
import dev.vigil.agent.journal.InstanceId;
import dev.vigil.agent.journal.JournalWriter;
import dev.vigil.agent.journal.LossReason;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.agent.metrics.AgentMetrics;
import dev.vigil.agent.probe.ProbeFactory;
import dev.vigil.agent.schedule.CheckScheduler;
import dev.vigil.agent.schedule.ScheduleListener;
import dev.vigil.agent.schedule.ScheduledCheck;
import dev.vigil.agent.ship.CollectorClient;
import dev.vigil.agent.ship.ShipListener;
import dev.vigil.agent.ship.Shipper;
import dev.vigil.agent.ship.ShipperSettings;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running agent: probes its checks (local and assigned by the collector) on schedule, journals every
 * sample, ships the journal to the collector, and serves {@code /metrics} and {@code /healthz}. Wiring
 * only; the work is done in the packages below. {@link #close()} stops everything in order.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    private static final int JOURNAL_QUEUE_CAPACITY = 100_000;

    private final AgentConfig config;
    private final Optional<BlackboxConfig> blackbox;
    private EventLoopGroup group;
    private SampleJournal journal;
    private JournalWriter journalWriter;
    private ProbeFactory probes;
    private CheckScheduler scheduler;
    private AssignmentPoller assignments;
    private Shipper shipper;
    private AgentHttpServer http;
    private boolean started;
    private boolean closed;

    private Agent(AgentConfig config, Optional<BlackboxConfig> blackbox) {
        this.config = config;
        this.blackbox = blackbox;
    }

    /**
     * Starts an agent for {@code config}: the system clock, the machine's name servers and the JVM's
     * trust store.
     *
     * @throws UncheckedIOException when the data directory cannot be created or is in use by another
     *                              agent, or {@code listen} cannot be bound
     */
    public static Agent start(AgentConfig config) {
        return start(config, Optional.empty());
    }

    /**
     * Starts an agent for {@code config} that also answers blackbox_exporter's {@code /probe} for the
     * modules of {@code blackbox}, on the same HTTP server, event loops and probe factory.
     *
     * @throws UncheckedIOException as {@link #start(AgentConfig)}
     */
    public static Agent start(AgentConfig config, Optional<BlackboxConfig> blackbox) {
        Agent agent = new Agent(config, blackbox);
        try {
            agent.open();
            agent.started = true;
            return agent;
        } catch (Throwable e) {
            // Netty rethrows checked exceptions (a BindException) unchecked; whatever it is, undo the half start.
            agent.close();
            throw e;
        }
    }

    private void open() {
        try {
            Files.createDirectories(config.journalDir());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot create the data directory " + config.dataDir()
                    + ": " + e.getMessage(), e));
        }
        group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("vigil-io"), NioIoHandler.newFactory());
        journal = SampleJournal.open(config.journalDir(), config.journal());
        AgentMetrics metrics = new AgentMetrics(config.name(), config.location());
        journal.onLoss(metrics::lost);
        metrics.journal(journal.bytes(), journal.epoch());
        shipper = new Shipper(journal, config.ackedPositionFile(), InstanceId.loadOrCreate(config.dataDir()),
                ShipperSettings.of(config.collector()), group, new ShipListener() {
                    @Override
                    public void acked(int samples, long ackedIndex) {
                        metrics.acked(samples);
                    }

                    @Override
                    public void shipFailed(String reason) {
                        metrics.shipFailed();
                    }

                    @Override
                    public void rejected(RejectionReason reason, int samples) {
                        metrics.rejected(reason, samples);
                    }

                    @Override
                    public void lost(LossReason reason, long samples) {
                        metrics.lost(reason, samples);
                    }

                    @Override
                    public void backlog(long samples, long oldestScheduledMillis) {
                        metrics.backlog(samples, oldestScheduledMillis);
                        metrics.journal(journal.bytes(), journal.epoch());
                    }
                });
        journalWriter = new JournalWriter(journal, JOURNAL_QUEUE_CAPACITY, new JournalWriter.Listener() {
            @Override
            public void journaled(Sample sample, long index) {
                metrics.journaled(sample);
                shipper.wakeUp();
            }

            @Override
            public void dropped(Sample sample, LossReason reason) {
                metrics.lost(reason, 1);
            }
        });
        // Started before /healthz is served, which reports a shipper that is not running as degraded.
        shipper.start();
        probes = ProbeFactory.withSystemDefaults(group, config.evidence());
        ProbeEndpoint endpoint = blackbox.<ProbeEndpoint>map(modules -> new BlackboxEndpoint(modules, probes,
                BlackboxEndpoint.DEFAULT_MAX_IN_FLIGHT, metrics.registry())).orElse(ProbeEndpoint.NONE);
        http = AgentHttpServer.start(config.listen(), group, metrics.registry(),
                () -> Health.of(config.name(), shipper.backlog(), shipper.running(), journalWriter.running()), endpoint);
        List<ScheduledCheck> checks = new ArrayList<>();
        for (CheckConfig check : config.checks()) {
            checks.add(new ScheduledCheck(check.id(), check.interval(), probes.create(check)));
        }
        scheduler = new CheckScheduler(checks, group, InstantSource.system(), System::nanoTime, new ScheduleListener() {
            @Override
            public void sampleTaken(Sample sample) {
                journalWriter.submit(sample);
            }

            @Override
            public void runsSkipped(String checkId, int count) {
                metrics.skipped(checkId, count);
            }
        }, config.evidence().every());
        if (config.collector().assignments().enabled()) {
            assignments = assignmentPoller(metrics);
            // Before the scheduler starts: the cached assigned checks start with the local ones.
            assignments.applyCached();
        }
        scheduler.start();
        if (assignments != null) {
            assignments.start();
        }
    }

    private AssignmentPoller assignmentPoller(AgentMetrics metrics) {
        Set<String> localIds = config.checks().stream().map(CheckConfig::id).collect(Collectors.toSet());
        CollectorClient client = new CollectorClient(group, config.collector().assignmentsUrl(),
                config.collector().token().orElse(""), config.collector().tls(),
                ShipperSettings.DEFAULT_REQUEST_TIMEOUT);
        return new AssignmentPoller(config.name(), config.collector().assignments().pollInterval(),
                ShipperSettings.DEFAULT_REQUEST_TIMEOUT, client, config.assignmentsFile(),
                new AssignmentApplier(scheduler, probes, localIds), new AssignmentListener() {
                    @Override
                    public void polled(long epochMillis) {
                        metrics.assignmentPolled(epochMillis);
                    }

                    @Override
                    public void pollFailed(String reason) {
                        metrics.assignmentPollFailed();
                    }

                    @Override
                    public void applied(String version, int running, int refused) {
                        metrics.assignmentApplied(version, running, refused);
                    }

                    @Override
                    public void rejected(String version, String error) {
                        metrics.assignmentRejected();
                    }
                }, InstantSource.system());
    }

    /** The configuration this agent runs. */
    public AgentConfig config() {
        return config;
    }

    /** Where {@code /metrics} and {@code /healthz} are served, with the real port. */
    public InetSocketAddress httpAddress() {
        return http.address();
    }

    /** The highest journal index the collector has acknowledged, or -1. */
    public long ackedIndex() {
        return shipper.ackedIndex();
    }

    /**
     * Stops in order: the assignment poller, scheduling (waiting briefly for runs in flight), the journal
     * thread (after it journaled what it holds), the shipper, the HTTP endpoint, the journal, the DNS
     * resolver and finally the event loop group.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (assignments != null) {
            assignments.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (journalWriter != null) {
            journalWriter.close();
        }
        if (shipper != null) {
            shipper.close();
        }
        if (http != null) {
            http.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (probes != null) {
            probes.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (started) {
            LOG.info("Vigil agent {} stopped", config.name());
        }
    }
}
