package dev.vigil.collector;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.config.ConfigException;
import dev.vigil.config.HostPort;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Starts the collector from the command line:
 * {@code java -jar vigil-collector.jar --config <file> [--listen host:port]}.
 * Exit status 2 for a usage or configuration error, 1 when the collector cannot start.
 */
public final class CollectorMain {
    /** The exit status for a usage or configuration error. */
    static final int EXIT_CONFIG = 2;
    /** The exit status when a valid configuration cannot be started. */
    static final int EXIT_START = 1;
    private static final String USAGE = "usage: java -jar vigil-collector.jar --config <file> [--listen host:port]";

    private CollectorMain() {
    }

    /** Runs the collector until the JVM is asked to stop. */
    public static void main(String[] args) throws InterruptedException {
        // Before any Chronicle class loads: no analytics call home, no banner, no disk monitor thread,
        // unless the operator set one of them with -D.
        disableByDefault("chronicle.analytics.disable");
        disableByDefault("chronicle.announcer.disable");
        disableByDefault("chronicle.disk.monitor.disable");
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Logger log = LoggerFactory.getLogger(CollectorMain.class);

        CollectorConfig config;
        try {
            config = configure(args);
        } catch (ConfigException e) {
            log.error(e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        Collector collector;
        try {
            collector = Collector.start(config, InstantSource.system());
        } catch (IllegalStateException e) {
            log.error("Vigil collector did not start: {}", e.getMessage(), e);
            System.exit(EXIT_START);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Vigil collector stopping");
            collector.close();
            log.info("Vigil collector stopped");
            stopped.countDown();
        }, "vigil-collector-shutdown"));
        log.info("Vigil collector listening on {}", collector.baseUri());
        stopped.await();
    }

    /**
     * The configuration {@code args} name: the file after {@code --config}, with {@code --listen}
     * overriding its listen address.
     *
     * @throws ConfigException for a usage error or an invalid file, with a message for the operator
     */
    static CollectorConfig configure(String[] args) {
        Path file = null;
        String listen = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ((arg.equals("--config") || arg.equals("--listen")) && i + 1 >= args.length) {
                throw new ConfigException(arg + " needs a value; " + USAGE);
            }
            switch (arg) {
                case "--config" -> file = Path.of(args[++i]);
                case "--listen" -> listen = args[++i];
                default -> throw new ConfigException("unknown argument '" + arg + "'; " + USAGE);
            }
        }
        if (file == null) {
            throw new ConfigException("--config is required; " + USAGE);
        }
        CollectorConfig config = CollectorConfig.load(file);
        return listen == null ? config : config.withListen(listenAddress(listen));
    }

    private static InetSocketAddress listenAddress(String value) {
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--listen " + e.getMessage());
        }
    }

    /** Sets {@code property} to true unless it is already set, so an operator's {@code -D} wins. */
    static void disableByDefault(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }
}
