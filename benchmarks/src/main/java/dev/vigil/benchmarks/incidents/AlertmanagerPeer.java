package dev.vigil.benchmarks.incidents;

import dev.vigil.testsupport.prometheus.AlertmanagerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The reference peer: Debian's Prometheus Alertmanager turning a posted alert into a webhook, with
 * {@code group_wait: 0s} and one group per alert name, so each new alert is notified at once.
 */
final class AlertmanagerPeer implements AutoCloseable {
    private final AlertmanagerProcess process;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerPeer(AlertmanagerProcess process) {
        this.process = process;
    }

    /** Starts Alertmanager in {@code directory}, notifying {@code webhook} of every new alert. */
    static AlertmanagerPeer start(URI webhook, Path directory) throws IOException, InterruptedException {
        // send_resolved off: the resolutions the harness posts to clean up must not reach the receiver.
        String config = """
                route:
                  receiver: bench
                  group_by: ['alertname']
                  group_wait: 0s
                  group_interval: 1m
                  repeat_interval: 24h
                receivers:
                  - name: bench
                    webhook_configs:
                      - url: '%s'
                        send_resolved: false
                """.formatted(webhook);
        return new AlertmanagerPeer(AlertmanagerProcess.start(config, directory));
    }

    /** Posts the firing alert {@code alertName} to {@code /api/v2/alerts}. */
    void fire(String alertName) throws IOException, InterruptedException {
        post(alertName, "");
    }

    /** Posts {@code alertName} again, ended now, so Alertmanager forgets it. */
    void resolve(String alertName) throws IOException, InterruptedException {
        post(alertName, ",\"endsAt\":\"" + Instant.now() + "\"");
    }

    private void post(String alertName, String end) throws IOException, InterruptedException {
        String body = "[{\"labels\":{\"alertname\":\"" + alertName + "\",\"service\":\"victim\",\"severity\":\"critical\"},"
                + "\"annotations\":{\"summary\":\"benchmark alert\"}" + end + "}]";
        HttpRequest request = HttpRequest.newBuilder(process.url().resolve("/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Alertmanager answered " + response.statusCode() + " to " + body + ": "
                    + response.body() + "; its log ends:\n" + process.logTail(10));
        }
    }

    /** The end of its log, for failure messages. */
    String logTail() {
        return process.logTail(20);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
