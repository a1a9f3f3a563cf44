package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A Microsoft Teams incoming webhook on 127.0.0.1 that takes legacy {@code MessageCard}s and answers as
 * an Office 365 connector does: the URL path is the secret (any other path is {@code 404}); a body that
 * is not JSON is {@code 400 Bad payload received by generic incoming webhook.}; a card with neither
 * {@code summary} nor {@code text} is {@code 400 Summary or Text is required.}; a posted card is
 * {@code 200} with the body {@code 1}. Its quirk is modelled too: when the card cannot reach the channel
 * the connector still answers {@code 200}, with an error text as the body. A card over 28 KB gets
 * {@code 200 Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error
 * 413 ...}; tests can script the same with 429 (throttled in the channel), or a plain {@code 429} with
 * {@code Retry-After}. A Workflows webhook ({@link #startWorkflows()}) answers {@code 202} with no body.
 */
public final class TeamsReceiver implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param path    the request path (the secret, for the right URL)
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status answered
     * @param answer  the body answered
     */
    public record Request(String path, Map<String, String> headers, String body, int status, String answer) {
        /** The body as a JSON object: for cards this receiver accepted. */
        public Map<String, Object> json() {
            return ReceivedJson.parseObject(body);
        }

        /** Whether the card reached the channel: 2xx with the body {@code 1}, or Workflows' empty 202. */
        public boolean posted() {
            return status / 100 == 2 && (answer.equals("1") || answer.isEmpty());
        }
    }

    /** The largest card a connector delivers, in bytes. */
    public static final int MAX_CARD_BYTES = 28 * 1024;

    private final String secretPath;
    private final boolean workflows;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Scripted> scripted = new ArrayDeque<>();
    private final ReceiverServer server;

    private record Scripted(int status, String body, Optional<Integer> retryAfterSeconds) {
    }

    private TeamsReceiver(boolean workflows) throws IOException {
        this.workflows = workflows;
        String tenant = UUID.randomUUID().toString();
        this.secretPath = workflows
                ? "/workflows/" + UUID.randomUUID().toString().replace("-", "") + "/triggers/manual/paths/invoke"
                : "/webhookb2/" + UUID.randomUUID() + "@" + tenant + "/IncomingWebhook/"
                        + UUID.randomUUID().toString().replace("-", "") + "/" + UUID.randomUUID();
        this.server = ReceiverServer.start("teams", this::reply);
    }

    /** Starts a connector webhook (answers {@code 200 1}) on an ephemeral port of 127.0.0.1. */
    public static TeamsReceiver start() throws IOException {
        return new TeamsReceiver(false);
    }

    /** Starts a Workflows webhook (answers {@code 202} with no body) on an ephemeral port of 127.0.0.1. */
    public static TeamsReceiver startWorkflows() throws IOException {
        return new TeamsReceiver(true);
    }

    private synchronized Reply reply(ReceiverServer.Incoming request) {
        String path = request.uri().getRawPath();
        Scripted answer = answer(request.method(), path, request.size(), request.body());
        requests.add(new Request(path, request.headers(), request.body(), answer.status(), answer.body()));
        return new Reply(answer.status(), "text/plain; charset=utf-8", answer.body(),
                answer.retryAfterSeconds().map(Duration::ofSeconds));
    }

    private Scripted answer(String method, String path, int bodyBytes, String body) {
        if (!path.equals(secretPath)) {
            return plain(404, "");
        }
        Scripted next = scripted.poll();
        if (next != null) {
            return next;
        }
        if (!method.equals("POST")) {
            return plain(405, "");
        }
        Map<String, Object> card;
        try {
            card = ReceivedJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return plain(400, "Bad payload received by generic incoming webhook.");
        }
        if (!isText(card.get("summary")) && !isText(card.get("text"))) {
            return plain(400, "Summary or Text is required.");
        }
        if (!validSections(card.get("sections"))) {
            return plain(400, "Bad payload received by generic incoming webhook.");
        }
        if (bodyBytes > MAX_CARD_BYTES) {
            return plain(200, deliveryFailed(413));
        }
        return workflows ? plain(202, "") : plain(200, "1");
    }

    private static boolean isText(Object value) {
        return value instanceof String text && !text.isBlank();
    }

    private static boolean validSections(Object sections) {
        if (sections == null) {
            return true;
        }
        if (!(sections instanceof List<?> list)) {
            return false;
        }
        for (Object section : list) {
            if (!(section instanceof Map<?, ?> map)) {
                return false;
            }
            Object facts = map.get("facts");
            if (facts != null && !(facts instanceof List<?> factList && factList.stream().allMatch(
                    fact -> fact instanceof Map<?, ?> f && f.get("name") instanceof String
                            && f.get("value") instanceof String))) {
                return false;
            }
        }
        return true;
    }

    private static Scripted plain(int status, String body) {
        return new Scripted(status, body, Optional.empty());
    }

    private static String deliveryFailed(int status) {
        return "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error " + status
                + " with ContextId tcid=0,server=msgapi-production-weu-azsc2-4-47,cv=Vigil0Test0Context0Id.0.";
    }

    /** The next {@code count} posts are answered {@code 429} with {@code Retry-After: seconds}. */
    public synchronized void throttleNext(int count, int retryAfterSeconds) {
        for (int i = 0; i < count; i++) {
            scripted.add(new Scripted(429, "Microsoft Teams endpoint returned HTTP error 429",
                    Optional.of(retryAfterSeconds)));
        }
    }

    /** The next {@code count} posts are answered {@code 200} with the connector's text for a throttled channel. */
    public synchronized void throttleInBodyNext(int count) {
        for (int i = 0; i < count; i++) {
            scripted.add(plain(200, deliveryFailed(429)));
        }
    }

    /** The next {@code count} posts are answered {@code 200} with the connector's text for an error {@code status}. */
    public synchronized void failInBodyNext(int count, int status) {
        for (int i = 0; i < count; i++) {
            scripted.add(plain(200, deliveryFailed(status)));
        }
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The cards that reached the channel, in arrival order. */
    public synchronized List<Request> posted() {
        return requests.stream().filter(Request::posted).toList();
    }

    /** The webhook URL, secret path included: what a Teams admin hands out. */
    public URI webhookUrl() {
        return url(secretPath);
    }

    /** The URL of {@code path} on this receiver, e.g. a wrong webhook path. */
    public URI url(String path) {
        return server.url(path);
    }

    /** The secret part of the webhook URL: an error text must never contain it. */
    public String secretPath() {
        return secretPath;
    }

    @Override
    public void close() {
        server.close();
    }
}
