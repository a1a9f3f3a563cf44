package dev.vigil.agent;

import dev.vigil.agent.blackbox.BlackboxConfig;
import dev.vigil.agent.config.AgentConfig;
import dev.vigil.config.ConfigException;
import dev.vigil.config.HostPort;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The agent's command line: {@code java -jar vigil-agent.jar --config <file> [--listen host:port]}, or
 * {@code --blackbox-config <blackbox.yml> [--listen host:port]} to answer blackbox_exporter's
 * {@code /probe} from its module file, standalone. Exits with status 2 on a usage or configuration
 * error, 1 when the agent cannot start.
 */
public final class AgentMain {
    private static final String USAGE = "usage: java -jar vigil-agent.jar --config <agent.yaml> [--listen host:port]\n"
            + "       java -jar vigil-agent.jar --blackbox-config <blackbox.yml> [--listen host:port]";
    /** Where the standalone blackbox endpoint listens when {@code --listen} is not given: blackbox_exporter's port. */
    static final InetSocketAddress BLACKBOX_DEFAULT_LISTEN = InetSocketAddress.createUnresolved("127.0.0.1", 9115);

    private AgentMain() {
    }

    /** Starts the agent and keeps it running until SIGTERM or Ctrl-C. */
    public static void main(String[] args) {
        // Before any Chronicle class loads: no analytics phoning home, no banner, no disk monitor thread.
        disableByDefault("chronicle.analytics.disable");
        disableByDefault("chronicle.announcer.disable");
        disableByDefault("chronicle.disk.monitor.disable");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(AgentMain.class);

        Path configFile = null;
        Path blackboxFile = null;
        InetSocketAddress listen = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--config") || arg.equals("--listen") || arg.equals("--blackbox-config"))
                    && i + 1 >= args.length) {
                exit(log, arg + " needs a value\n" + USAGE);
            } else if (arg.equals("--config")) {
                configFile = Path.of(args[++i]);
            } else if (arg.equals("--blackbox-config")) {
                blackboxFile = Path.of(args[++i]);
            } else if (arg.equals("--listen")) {
                try {
                    listen = listenOption(args[++i]);
                } catch (IllegalArgumentException e) {
                    exit(log, e.getMessage());
                }
            } else if (arg.equals("--help") || arg.equals("-h")) {
                log.info(USAGE);
                return;
            } else {
                exit(log, "unknown argument '" + arg + "'\n" + USAGE);
            }
        }
        if (blackboxFile != null && configFile == null) {
            startBlackbox(log, blackboxFile, listen == null ? BLACKBOX_DEFAULT_LISTEN : listen);
            return;
        }
        if (configFile == null) {
            exit(log, "--config or --blackbox-config is required\n" + USAGE);
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(configFile);
        } catch (ConfigException e) {
            exit(log, e.getMessage());
            return;
        }
        if (listen != null) {
            config = config.withListen(listen);
        }
        Optional<BlackboxConfig> modules = Optional.empty();
        if (blackboxFile != null) {
            try {
                modules = Optional.of(BlackboxConfig.load(blackboxFile));
            } catch (ConfigException e) {
                exit(log, e.getMessage());
                return;
            }
        }
        AgentConfig agentConfig = config;
        Optional<BlackboxConfig> agentModules = modules;
        Agent agent = startOrExit(log, () -> Agent.start(agentConfig, agentModules));
        InetSocketAddress bound = agent.httpAddress();
        log.info("Vigil agent {} probing {} checks; metrics on http://{}/metrics{}", config.name(),
                config.checks().size(), hostPortText(bound),
                modules.map(m -> ", blackbox_exporter probes for " + m.modules().size() + " modules on http://"
                        + hostPortText(bound) + "/probe").orElse(""));
    }

    private static void startBlackbox(Logger log, Path file, InetSocketAddress listen) {
        BlackboxConfig config;
        try {
            config = BlackboxConfig.load(file);
        } catch (ConfigException e) {
            exit(log, e.getMessage());
            return;
        }
        BlackboxConfig modules = config;
        BlackboxAgent agent = startOrExit(log, () -> BlackboxAgent.start(modules, listen));
        log.info("Vigil agent answering blackbox_exporter probes for {} modules of {} on http://{}/probe",
                config.modules().size(), file, hostPortText(agent.httpAddress()));
    }

    /**
     * Starts what {@code start} starts and closes it at JVM shutdown; exits with status 1 when it
     * cannot start (data directory in use, port taken).
     */
    private static <T extends AutoCloseable> T startOrExit(Logger log, Supplier<T> start) {
        T started;
        try {
            started = start.get();
        } catch (UncheckedIOException e) {
            log.error("Cannot start the agent: {}", e.getCause().getMessage());
            System.exit(1);
            throw e;
        } catch (RuntimeException e) {
            log.error("Cannot start the agent", e);
            System.exit(1);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.close();
            } catch (Exception e) {
                log.warn("Closing the agent failed", e);
            }
        }, "vigil-shutdown"));
        return started;
    }

    private static void disableByDefault(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }

    /**
     * The {@code --listen} value as an unresolved address.
     *
     * @throws IllegalArgumentException naming the flag, e.g. {@code --listen must be host:port (was '9471')}
     */
    static InetSocketAddress listenOption(String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--listen " + e.getMessage(), e);
        }
    }

    private static String hostPortText(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void exit(Logger log, String message) {
        log.error(message);
        System.exit(2);
    }
}
