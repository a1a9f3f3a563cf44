package dev.vigil.benchmarks.incidents;

import dev.vigil.benchmarks.incidents.ArrivalReceiver.Arrival;
import dev.vigil.benchmarks.incidents.IngestFeeder.Confirmation;
import dev.vigil.collector.Collector;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.testsupport.prometheus.AlertmanagerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

/**
 * One run of the incident-open benchmark: a real collector in this JVM ingesting a steady background,
 * its webhook sink pointing at an {@link ArrivalReceiver}; Alertmanager (when installed) posting to the
 * same receiver; rounds that measure, one after the other, Vigil's confirming sample → webhook,
 * Alertmanager's posted alert → webhook, and a bare POST → arrival.
 */
final class IncidentLatencyBench {
    private static final String AGENT = "bench-agent";
    private static final String TOKEN = "bench-incidents-token";
    private static final String VIGIL_PATH = "/vigil";
    private static final String ALERTMANAGER_PATH = "/alertmanager";
    private static final String FLOOR_PATH = "/floor";

    private final IncidentLatencySettings settings;
    private final Path workDir;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A run of {@code settings}, keeping the collector's data and Alertmanager's state in {@code workDir}. */
    IncidentLatencyBench(IncidentLatencySettings settings, Path workDir) {
        this.settings = settings;
        this.workDir = workDir;
    }

    /** Runs every round and returns the figures; every process and thread it started is stopped. */
    IncidentLatencyResult run() throws IOException, InterruptedException {
        List<String> victims = IntStream.range(0, settings.victims()).mapToObj(i -> String.format("victim-%02d", i))
                .toList();
        try (ArrivalReceiver receiver = ArrivalReceiver.start();
                Collector collector = Collector.start(config(receiver.url(VIGIL_PATH), victims),
                        InstantSource.system());
                Closer<AlertmanagerPeer> alertmanager = startAlertmanager(receiver)) {
            IngestFeeder feeder = new IngestFeeder(collector.baseUri().resolve("/api/v1/ingest"), TOKEN,
                    settings.backgroundRate(), victims, settings.tick());
            try {
                feeder.start();
                return measure(receiver, feeder, alertmanager.value, victims);
            } finally {
                feeder.close();
            }
        }
    }

    private IncidentLatencyResult measure(ArrivalReceiver receiver, IngestFeeder feeder,
            Optional<AlertmanagerPeer> alertmanager, List<String> victims) throws IOException, InterruptedException {
        List<Long> vigil = new ArrayList<>();
        List<Long> acked = new ArrayList<>();
        List<Long> peer = new ArrayList<>();
        List<Long> floor = new ArrayList<>();
        int vigilLost = 0;
        int peerLost = 0;
        int floorLost = 0;
        int keyMismatches = 0;
        long startNanos = System.nanoTime();
        long acceptedAtStart = 0;
        int healthyBatchesAtStart = 0;
        int rounds = settings.warmup() + settings.measurements();
        for (int round = 0; round < rounds; round++) {
            long roundStart = System.nanoTime();
            boolean counted = round >= settings.warmup();
            if (round == settings.warmup()) {
                startNanos = System.nanoTime();
                acceptedAtStart = feeder.accepted();
                healthyBatchesAtStart = feeder.healthyBatchNanos().size();
            }
            Confirmation confirmation = confirm(feeder, round % victims.size());
            String expected = "service/" + confirmation.victim() + "@" + confirmation.firstFailureScheduledMillis()
                    + ":opened";
            String prefix = "service/" + confirmation.victim() + "@";
            Optional<Arrival> opened = receiver.await(a -> a.path().equals(VIGIL_PATH)
                    && a.webhookId().startsWith(prefix) && a.webhookId().endsWith(":opened")
                    && outageStart(a.webhookId()) > confirmation.firstFailureScheduledMillis() - 1_000,
                    settings.timeout());
            if (counted) {
                acked.add(confirmation.ackedNanos() - confirmation.sentNanos());
                if (opened.isPresent()) {
                    vigil.add(opened.get().arrivedNanos() - confirmation.sentNanos());
                    if (!opened.get().webhookId().equals(expected)) {
                        keyMismatches++;
                    }
                } else {
                    vigilLost++;
                }
            }
            if (alertmanager.isPresent()) {
                String alertName = "bench-" + round;
                long sent = System.nanoTime();
                alertmanager.get().fire(alertName);
                Optional<Arrival> notified = receiver.await(a -> a.path().equals(ALERTMANAGER_PATH)
                        && a.body().contains("\"alertname\":\"" + alertName + "\""), settings.timeout());
                alertmanager.get().resolve(alertName);
                if (counted) {
                    if (notified.isPresent()) {
                        peer.add(notified.get().arrivedNanos() - sent);
                    } else {
                        peerLost++;
                    }
                }
            }
            String marker = "floor-" + round;
            long sent = System.nanoTime();
            post(receiver.url(FLOOR_PATH), marker);
            Optional<Arrival> arrived = receiver.await(a -> a.path().equals(FLOOR_PATH) && a.body().equals(marker),
                    settings.timeout());
            if (counted) {
                if (arrived.isPresent()) {
                    floor.add(arrived.get().arrivedNanos() - sent);
                } else {
                    floorLost++;
                }
            }
            if (feeder.stopped().isDone()) {
                break;
            }
            long wait = roundStart + settings.spacing().toNanos() - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double rate = (feeder.accepted() - acceptedAtStart) / seconds;
        List<Long> healthy = feeder.healthyBatchNanos();
        return new IncidentLatencyResult(settings, LatencyFigures.of(vigil, vigilLost), LatencyFigures.of(acked, 0),
                LatencyFigures.of(healthy.subList(healthyBatchesAtStart, healthy.size()), 0),
                alertmanager.isPresent() ? Optional.of(LatencyFigures.of(peer, peerLost)) : Optional.empty(),
                LatencyFigures.of(floor, floorLost),
                rate, keyMismatches, seconds, alertmanager.isPresent() ? "" : alertmanagerAbsence());
    }

    private String alertmanagerAbsence() {
        return settings.alertmanager() ? AlertmanagerProcess.EXECUTABLE + " is not on the PATH" : "--no-alertmanager";
    }

    /** The start of the outage a {@code service/<name>@<start>:opened} id names. */
    private static long outageStart(String webhookId) {
        int at = webhookId.lastIndexOf('@');
        int colon = webhookId.indexOf(':', at);
        try {
            return Long.parseLong(webhookId.substring(at + 1, colon));
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private Confirmation confirm(IngestFeeder feeder, int victim) throws InterruptedException {
        try {
            // The victim's next two samples are at most two seconds away.
            return feeder.failNextTwo(victim).get(settings.timeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the feeder stopped: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the feeder did not post victim " + victim + "'s failures within "
                    + settings.timeout(), e);
        }
    }

    private void post(URI url, String body) throws IOException, InterruptedException {
        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(settings.timeout())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 204) {
            throw new IllegalStateException("the receiver answered " + response.statusCode() + " to " + url);
        }
    }

    private CollectorConfig config(URI webhook, List<String> victims) {
        StringBuilder yaml = new StringBuilder()
                .append("listen: 127.0.0.1:0\n")
                .append("data_dir: ").append(workDir.resolve("collector")).append('\n')
                .append("agents:\n  - name: ").append(AGENT).append("\n    token: ").append(TOKEN).append('\n')
                // The policy minimum: the second failed sample in a row confirms the outage.
                .append("state: {failures_to_open: 2, successes_to_close: 1}\n")
                .append("sinks:\n  - {name: receiver, type: webhook, url: \"").append(webhook).append("\"}\n")
                // Damping decides only whether a recovery closes the incident; off, every round's outage is
                // its own incident however often a victim comes round.
                .append("incidents:\n  damp_flapping: false\n  egress: {allow: [\"127.0.0.0/8\"]}\n")
                .append("services:\n");
        for (String victim : victims) {
            yaml.append("  - name: ").append(victim).append("\n    checks:\n      - check: ").append(victim)
                    .append("\n        agents: [").append(AGENT).append("]\n");
        }
        return CollectorConfig.parse("collector.yaml", yaml.toString(), name -> null, workDir);
    }

    private Closer<AlertmanagerPeer> startAlertmanager(ArrivalReceiver receiver)
            throws IOException, InterruptedException {
        if (!settings.alertmanager() || AlertmanagerProcess.executable().isEmpty()) {
            return new Closer<>(Optional.empty());
        }
        Path directory = Files.createDirectories(workDir.resolve("alertmanager"));
        return new Closer<>(Optional.of(AlertmanagerPeer.start(receiver.url(ALERTMANAGER_PATH), directory)));
    }

    /** An optional peer in a try-with-resources. */
    private record Closer<T extends AutoCloseable>(Optional<T> value) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            if (value.isPresent()) {
                try {
                    value.get().close();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("cannot stop " + value.get() + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
