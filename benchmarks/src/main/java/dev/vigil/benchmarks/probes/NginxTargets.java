package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The probe targets: one nginx (master and one worker per core, not a daemon) with its own
 * configuration, pid file, logs and temporary files in the run's directory, listening on three free
 * loopback ports: a port that accepts TCP connections, plain HTTP and HTTPS. Both HTTP servers answer
 * {@code GET /} with a 3-byte 200 response. HTTPS presents a self-signed ECDSA P-256 certificate for
 * 127.0.0.1 and keeps neither a session cache nor session tickets, so every probe of either prober
 * makes a full handshake.
 *
 * @param tcpPort   the port TCP probes connect to
 * @param httpPort  the plain HTTP port
 * @param httpsPort the HTTPS port
 * @param caFile    the server certificate (PEM), which the probers trust as their CA
 */
record NginxTargets(int tcpPort, int httpPort, int httpsPort, Path caFile) {

    /** Writes the configuration into {@code dir}/nginx and starts nginx; returns once all three ports accept. */
    static NginxTargets start(Path nginx, Path dir, Path cert, Path key, Children children) {
        NginxTargets targets = new NginxTargets(Loopback.freePort(), Loopback.freePort(), Loopback.freePort(), cert);
        Path home = dir.resolve("nginx");
        try {
            Files.createDirectories(home.resolve("tmp"));
            Files.writeString(home.resolve("nginx.conf"), targets.config(home, cert, key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the nginx configuration in " + home, e);
        }
        ChildProcess process = children.adopt(ChildProcess.start("nginx",
                List.of(nginx.toString(), "-p", home.toString(), "-c", home.resolve("nginx.conf").toString(),
                        "-e", home.resolve("error.log").toString()),
                Map.of(), home, home.resolve("stdout.log")));
        for (int port : List.of(targets.tcpPort, targets.httpPort, targets.httpsPort)) {
            Loopback.awaitListening(port, process, Duration.ofSeconds(15));
        }
        return targets;
    }

    /**
     * What nginx logged about the HTTPS handshakes of the run, once it has stopped (it writes its
     * buffered log lines on exit): how many, and how many resumed a session.
     */
    static String handshakeSummary(Path dir) {
        Path log = dir.resolve("nginx").resolve("handshakes.log");
        try (Stream<String> lines = Files.lines(log)) {
            long[] counts = new long[2];
            lines.forEach(line -> {
                counts[0]++;
                if (line.startsWith("r")) {
                    counts[1]++;
                }
            });
            return String.format(Locale.ROOT,
                    "nginx served %,d HTTPS requests, %,d of them on a resumed TLS session", counts[0], counts[1]);
        } catch (IOException e) {
            return "nginx's handshake log " + log + " is unreadable: " + e.getMessage();
        }
    }

    String tcpTarget() {
        return Loopback.HOST + ":" + tcpPort;
    }

    String httpUrl() {
        return "http://" + Loopback.HOST + ":" + httpPort + "/";
    }

    String httpsUrl() {
        return "https://" + Loopback.HOST + ":" + httpsPort + "/";
    }

    private String config(Path home, Path cert, Path key) {
        String tmp = home.resolve("tmp").toString();
        return """
                # Written by the probe benchmark; nginx runs in the foreground and is stopped by pid.
                daemon off;
                worker_processes auto;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log error;
                events {
                    worker_connections 8192;
                    multi_accept on;
                }
                http {
                    access_log off;
                    client_body_temp_path %2$s/body;
                    proxy_temp_path %2$s/proxy;
                    fastcgi_temp_path %2$s/fastcgi;
                    uwsgi_temp_path %2$s/uwsgi;
                    scgi_temp_path %2$s/scgi;
                    keepalive_timeout 0;
                    log_format handshake "$ssl_session_reused $ssl_protocol";
                    server_tokens off;
                    default_type text/plain;
                    # TCP probes connect and close without a request.
                    server {
                        listen 127.0.0.1:%3$d backlog=4096;
                        location / { return 200 "ok\\n"; }
                    }
                    server {
                        listen 127.0.0.1:%4$d backlog=4096;
                        location / { return 200 "ok\\n"; }
                    }
                    server {
                        listen 127.0.0.1:%5$d ssl backlog=4096;
                        ssl_certificate %6$s;
                        ssl_certificate_key %7$s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        # No resumption: every handshake is a full one, for both probers alike.
                        ssl_session_cache off;
                        ssl_session_tickets off;
                        # One line per HTTPS request: "r" when its session was resumed, "." when not.
                        access_log %1$s/handshakes.log handshake buffer=256k flush=1s;
                        location / { return 200 "ok\\n"; }
                    }
                }
                """.formatted(home, tmp, tcpPort, httpPort, httpsPort, cert, key);
    }
}
