package dev.vigil.testsupport.prometheus;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A real Prometheus Alertmanager ({@code prometheus-alertmanager} from Debian's package of that name,
 * which {@code ./vigil test} installs) running as a child process on a free loopback port, with
 * clustering off and its state in a directory of the test's. {@link #close()} stops it.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    /** The executable's name on the PATH. */
    public static final String EXECUTABLE = "prometheus-alertmanager";

    private final PeerProcess peer;

    private AlertmanagerProcess(PeerProcess peer) {
        this.peer = peer;
    }

    /** {@code prometheus-alertmanager} on the PATH, if it is there. */
    public static Optional<Path> executable() {
        return PeerProcess.onPath(EXECUTABLE);
    }

    /**
     * Starts Alertmanager with {@code configYaml} as its configuration file, its storage and log in
     * {@code directory}, and waits until {@code /-/ready} answers 200.
     *
     * @throws IllegalStateException when it is not on the PATH, exits, or is not ready within 30 s; the
     *                               message carries the end of its log
     */
    public static AlertmanagerProcess start(String configYaml, Path directory)
            throws IOException, InterruptedException {
        Path config = directory.resolve("alertmanager.yml");
        Files.writeString(config, configYaml, StandardCharsets.UTF_8);
        Path storage = Files.createDirectories(directory.resolve("data"));
        int port = PeerProcess.freePort();
        return new AlertmanagerProcess(PeerProcess.start(EXECUTABLE, "prometheus-alertmanager", List.of(
                "--config.file=" + config,
                "--storage.path=" + storage,
                "--web.listen-address=127.0.0.1:" + port,
                // An empty address turns the gossip cluster off: no second port, no peers to wait for.
                "--cluster.listen-address=",
                "--log.level=debug"), directory.resolve("alertmanager.log"), port));
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI url() {
        return peer.url();
    }

    /** The process id, for messages. */
    public long pid() {
        return peer.pid();
    }

    /** The last {@code lines} lines Alertmanager logged, for failure messages. */
    public String logTail(int lines) {
        return peer.logTail(lines);
    }

    /** Asks it to stop, and kills it when it has not within 10 s. */
    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
