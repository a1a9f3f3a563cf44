package dev.vigil.benchmarks.probes;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process that answers blackbox_exporter's {@code GET /probe?target=&module=}: blackbox_exporter
 * itself, or a Vigil agent started with {@code --blackbox-config}. Both read the same module file and
 * are asked the same way.
 */
final class ProbeEndpoint {
    private final String label;
    private final ChildProcess process;
    private final URI base;

    private ProbeEndpoint(String label, ChildProcess process, URI base) {
        this.label = label;
        this.process = process;
        this.base = base;
    }

    /** Starts blackbox_exporter on a free port with {@code modules}; returns once it answers. */
    static ProbeEndpoint blackbox(BenchSettings settings, Path modules, Children children) {
        int port = Loopback.freePort();
        Path dir = settings.workDir();
        ChildProcess process = children.adopt(ChildProcess.start("blackbox_exporter",
                List.of(settings.blackbox().toString(), "--config.file=" + modules,
                        "--web.listen-address=" + Loopback.HOST + ":" + port, "--log.level=warn"),
                Map.of(), dir, dir.resolve("blackbox.log")));
        URI base = URI.create("http://" + Loopback.HOST + ":" + port);
        Loopback.awaitOk(base.resolve("/"), process, Duration.ofSeconds(20));
        return new ProbeEndpoint("blackbox_exporter", process, base);
    }

    /**
     * Starts a Vigil agent as a {@code /probe} endpoint: {@code --blackbox-config modules --listen
     * 127.0.0.1:<free port>}. Returns once a TCP probe through it answers 200, or throws
     * {@link Unavailable} when the agent exits first: an agent that does not know
     * {@code --blackbox-config} yet says so and exits with status 2.
     */
    static ProbeEndpoint vigil(BenchSettings settings, Path modules, NginxTargets targets, Children children) {
        int port = Loopback.freePort();
        Path dir = settings.workDir();
        Path log = dir.resolve("vigil-endpoint.log");
        ChildProcess process = children.adopt(ChildProcess.start("vigil agent (/probe endpoint)",
                settings.vigilCommand(settings.agentJar(), true,
                        List.of("--blackbox-config", modules.toString(), "--listen", Loopback.HOST + ":" + port)),
                settings.vigilEnv(true), dir, log));
        URI base = URI.create("http://" + Loopback.HOST + ":" + port);
        ProbeEndpoint endpoint = new ProbeEndpoint("vigil /probe", process, base);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                children.stop(process, Duration.ofSeconds(1));
                String tail = process.logTail(5);
                Optional<String> refusal = tail.lines()
                        .filter(line -> line.contains("unknown") && line.contains("--blackbox-config"))
                        .findFirst();
                if (refusal.isPresent()) {
                    throw new Unavailable("this agent does not accept --blackbox-config yet (it answered: "
                            + refusal.get().trim() + ")");
                }
                throw new Unavailable("the agent exited during start-up (status " + process.process().exitValue()
                        + "); its log ends:\n" + tail);
            }
            boolean answered = Loopback.get(endpoint.probeUri(ProbeProtocol.TCP, targets))
                    .map(response -> response.statusCode() == 200).orElse(false);
            if (answered) {
                return endpoint;
            }
            Loopback.sleep(Duration.ofMillis(250));
        }
        children.stop(process, Duration.ofSeconds(5));
        throw new Unavailable("the agent did not answer /probe within 60 s; its log ends:\n" + process.logTail(10));
    }

    String label() {
        return label;
    }

    ChildProcess process() {
        return process;
    }

    /** The {@code /probe} request for {@code protocol} against {@code targets}. */
    URI probeUri(ProbeProtocol protocol, NginxTargets targets) {
        return base.resolve("/probe?target=" + URLEncoder.encode(protocol.probeTarget(targets), StandardCharsets.UTF_8)
                + "&module=" + protocol.module());
    }

    /** Why a {@code /probe} endpoint could not be started; the run goes on without it. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason);
        }
    }
}
