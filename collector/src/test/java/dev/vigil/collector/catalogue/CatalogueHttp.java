package dev.vigil.collector.catalogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Talks to a collector's catalogue API the way an operator's script does: JSON over HTTP on loopback. */
final class CatalogueHttp {
    /** An answer: its status, its body as text, and its {@code Location} header if any. */
    record Answer(int status, String body, String location) {
        /**
         * The body without the live fields the collector adds to a service ({@code status},
         * {@code attainment}): this client tests the catalogue; {@code SlaApiTest} tests those.
         */
        JsonObject json() {
            JsonObject json = new JsonObject(body);
            withoutLiveFields(json);
            if (json.getValue("services") instanceof JsonArray services) {
                services.stream().filter(JsonObject.class::isInstance)
                        .forEach(service -> withoutLiveFields((JsonObject) service));
            }
            return json;
        }

        private static void withoutLiveFields(JsonObject json) {
            // Only a service's: a maintenance window has a "status" of its own.
            if (json.containsKey("checks") && json.containsKey("depends_on")) {
                json.remove("status");
                json.remove("attainment");
            }
        }

        String error() {
            return json().getString("error");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    /** A client sending {@code token} as the admin bearer token; null sends none. */
    CatalogueHttp(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same collector with another token. */
    CatalogueHttp withToken(String otherToken) {
        return new CatalogueHttp(base, otherToken);
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer put(String path, String body) {
        return send("PUT", path, body);
    }

    Answer post(String path, String body) {
        return send("POST", path, body);
    }

    Answer delete(String path) {
        return send("DELETE", path, null);
    }

    Answer send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
