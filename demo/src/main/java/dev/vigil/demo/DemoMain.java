package dev.vigil.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the demo targets and the incident log receiver, and stops them on SIGTERM or Ctrl-C.
 *
 * <p>Usage: {@code java -jar vigil-demo.jar [--web-port 18080] [--tcp-port 18081] [--flaky-port 18082]
 * [--webhook-port 9472] [--incident-log FILE] [--flaky-up 90s] [--flaky-down 30s] [--flaky-first-down 40s]}.
 */
public final class DemoMain {
    private static final Logger LOG = LoggerFactory.getLogger(DemoMain.class);

    private DemoMain() {
    }

    /** Entry point; see the class comment for the flags. */
    public static void main(String[] args) throws IOException, InterruptedException {
        DemoSettings settings;
        try {
            settings = DemoSettings.parse(args);
        } catch (IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            System.exit(2);
            return;
        }
        List<AutoCloseable> running = new ArrayList<>();
        running.add(HealthyWebTarget.start(settings.webPort()));
        running.add(TcpTarget.start(settings.tcpPort()));
        running.add(FlakyWebTarget.start(settings.flakyPort(), settings.flakyFirstDown(), settings.flakyUp(),
                settings.flakyDown()));
        running.add(IncidentLogReceiver.start(settings.webhookPort(), settings.incidentLog()));
        LOG.info("Demo targets up: web http://127.0.0.1:{}/ tcp 127.0.0.1:{} flaky-web http://127.0.0.1:{}/ "
                        + "(down for {} every {}); incident log receiver http://127.0.0.1:{}/incidents -> {}",
                settings.webPort(), settings.tcpPort(), settings.flakyPort(), settings.flakyDown(),
                settings.flakyUp().plus(settings.flakyDown()), settings.webhookPort(), settings.incidentLog());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable closeable : running) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed: {}", closeable, e.toString());
                }
            }
            stopped.countDown();
        }, "demo-shutdown"));
        stopped.await();
    }

    /** The demo's ports and flaky-web timing. */
    record DemoSettings(int webPort, int tcpPort, int flakyPort, int webhookPort, Path incidentLog,
                        Duration flakyFirstDown, Duration flakyUp, Duration flakyDown) {

        static DemoSettings parse(String[] args) {
            int web = 18080;
            int tcp = 18081;
            int flaky = 18082;
            int webhook = 9472;
            Path log = Path.of("incidents.log");
            Duration firstDown = Duration.ofSeconds(40);
            Duration up = Duration.ofSeconds(90);
            Duration down = Duration.ofSeconds(30);
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--web-port" -> web = port(flag, value);
                    case "--tcp-port" -> tcp = port(flag, value);
                    case "--flaky-port" -> flaky = port(flag, value);
                    case "--webhook-port" -> webhook = port(flag, value);
                    case "--incident-log" -> log = Path.of(value);
                    case "--flaky-first-down" -> firstDown = seconds(flag, value);
                    case "--flaky-up" -> up = seconds(flag, value);
                    case "--flaky-down" -> down = seconds(flag, value);
                    default -> throw new IllegalArgumentException("unknown flag " + flag);
                }
            }
            return new DemoSettings(web, tcp, flaky, webhook, log, firstDown, up, down);
        }

        private static int port(String flag, String value) {
            try {
                int port = Integer.parseInt(value);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be a port 1..65535 (was '" + value + "')");
            }
        }

        private static Duration seconds(String flag, String value) {
            String digits = value.endsWith("s") ? value.substring(0, value.length() - 1) : value;
            try {
                long seconds = Long.parseLong(digits);
                if (seconds < 1) {
                    throw new NumberFormatException();
                }
                return Duration.ofSeconds(seconds);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " must be a whole number of seconds >= 1, e.g. 30s (was '"
                        + value + "')");
            }
        }
    }
}
