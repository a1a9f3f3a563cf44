package dev.vigil.testsupport.sinks;

import dev.vigil.testsupport.sinks.ReceiverServer.Reply;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack incoming webhook on 127.0.0.1, answering as Slack does
 * (<a href="https://api.slack.com/messaging/webhooks#handling_errors">webhook errors</a>): the URL path
 * is the secret, and any other path is {@code 404 no_service}; a JSON body that does not parse is
 * {@code 400 invalid_payload}, one with neither {@code text} nor {@code blocks} {@code 400 no_text},
 * blocks that break Block Kit's limits {@code 400 invalid_blocks} (more than 50 blocks, a header text
 * over 150 characters or not {@code plain_text}, a section with neither text nor fields, more than 10
 * fields, a field over 2,000 characters, an unknown block type); a posted message is {@code 200 ok}.
 * Tests can make it answer {@code 429 rate_limited} with {@code Retry-After}, {@code 500 rollup_error},
 * {@code 403 invalid_token} (webhook revoked) or {@code 410 channel_is_archived}.
 */
public final class SlackReceiver implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param path    the request path (the secret, for the right URL)
     * @param headers header names lower-cased, first value of each
     * @param body    the body as UTF-8 text
     * @param status  the status answered
     * @param answer  the body answered: {@code ok} or Slack's error code
     */
    public record Request(String path, Map<String, String> headers, String body, int status, String answer) {
        /** The body as a JSON object: for messages this receiver accepted. */
        public Map<String, Object> json() {
            return ReceivedJson.parseObject(body);
        }
    }

    private static final int MAX_BLOCKS = 50;
    private static final int MAX_HEADER_CHARS = 150;
    private static final int MAX_SECTION_TEXT_CHARS = 3000;
    private static final int MAX_FIELDS = 10;
    private static final int MAX_FIELD_CHARS = 2000;

    private final String secretPath;
    private final ReceiverServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<Integer> rateLimited = new ArrayDeque<>();
    private int serverErrors;
    private Optional<Refusal> refusal = Optional.empty();

    private record Refusal(int status, String code) {
    }

    private SlackReceiver(String secretPath) throws IOException {
        this.secretPath = secretPath;
        this.server = ReceiverServer.start("slack", this::reply);
    }

    /** Starts a webhook on an ephemeral port of 127.0.0.1 with a random secret path. */
    public static SlackReceiver start() throws IOException {
        return new SlackReceiver("/services/T0VIGIL/B0TEST/" + randomToken());
    }

    private static String randomToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            token.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    private synchronized Reply reply(ReceiverServer.Incoming request) {
        String path = request.uri().getRawPath();
        Answer answer = answer(request.method(), path, request.headers(), request.body());
        requests.add(new Request(path, request.headers(), request.body(), answer.status(), answer.code()));
        return new Reply(answer.status(), "text/html", answer.code(),
                answer.retryAfterSeconds().map(Duration::ofSeconds));
    }

    private record Answer(int status, String code, Optional<Integer> retryAfterSeconds) {
        static Answer of(int status, String code) {
            return new Answer(status, code, Optional.empty());
        }
    }

    private Answer answer(String method, String path, Map<String, String> headers, String body) {
        if (!path.equals(secretPath)) {
            return Answer.of(404, "no_service");
        }
        if (refusal.isPresent()) {
            return Answer.of(refusal.get().status(), refusal.get().code());
        }
        Integer retryAfter = rateLimited.poll();
        if (retryAfter != null) {
            return new Answer(429, "rate_limited", Optional.of(retryAfter));
        }
        if (serverErrors > 0) {
            serverErrors--;
            return Answer.of(500, "rollup_error");
        }
        if (!method.equals("POST")) {
            return Answer.of(405, "invalid_method");
        }
        if (!headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return Answer.of(400, "invalid_payload");
        }
        Map<String, Object> message;
        try {
            message = ReceivedJson.parseObject(body);
        } catch (IllegalArgumentException e) {
            return Answer.of(400, "invalid_payload");
        }
        if (!(message.get("text") instanceof String) && !message.containsKey("blocks")) {
            return Answer.of(400, "no_text");
        }
        if (message.containsKey("blocks") && !validBlocks(message.get("blocks"))) {
            return Answer.of(400, "invalid_blocks");
        }
        return Answer.of(200, "ok");
    }

    private static boolean validBlocks(Object blocks) {
        if (!(blocks instanceof List<?> list) || list.size() > MAX_BLOCKS) {
            return false;
        }
        for (Object block : list) {
            if (!(block instanceof Map<?, ?> map)) {
                return false;
            }
            boolean valid = switch (String.valueOf(map.get("type"))) {
                case "header" -> textObject(map.get("text"), MAX_HEADER_CHARS, true);
                case "section" -> validSection(map);
                case "divider" -> true;
                case "context" -> map.get("elements") instanceof List<?>;
                default -> false;
            };
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    private static boolean validSection(Map<?, ?> section) {
        Object text = section.get("text");
        Object fields = section.get("fields");
        if (text == null && fields == null) {
            return false;
        }
        if (text != null && !textObject(text, MAX_SECTION_TEXT_CHARS, false)) {
            return false;
        }
        if (fields != null) {
            if (!(fields instanceof List<?> list) || list.isEmpty() || list.size() > MAX_FIELDS) {
                return false;
            }
            for (Object field : list) {
                if (!textObject(field, MAX_FIELD_CHARS, false)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean textObject(Object value, int maxChars, boolean plainOnly) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("text") instanceof String text)) {
            return false;
        }
        Object type = map.get("type");
        boolean typeOk = plainOnly ? "plain_text".equals(type) : "plain_text".equals(type) || "mrkdwn".equals(type);
        return typeOk && !text.isEmpty() && text.length() <= maxChars;
    }

    /** The next {@code count} posts are answered {@code 429 rate_limited} with {@code Retry-After: seconds}. */
    public synchronized void rateLimitNext(int count, int retryAfterSeconds) {
        for (int i = 0; i < count; i++) {
            rateLimited.add(retryAfterSeconds);
        }
    }

    /** The next {@code count} posts are answered {@code 500 rollup_error}. */
    public synchronized void failNext(int count) {
        serverErrors += count;
    }

    /** From now on every post is answered {@code 410 channel_is_archived}. */
    public synchronized void archiveChannel() {
        refusal = Optional.of(new Refusal(410, "channel_is_archived"));
    }

    /** From now on every post is answered {@code 403 invalid_token}: the webhook was revoked. */
    public synchronized void revoke() {
        refusal = Optional.of(new Refusal(403, "invalid_token"));
    }

    /** Every request received so far, in arrival order. */
    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The messages posted to the channel ({@code 200 ok}), in arrival order. */
    public synchronized List<Request> posted() {
        return requests.stream().filter(request -> request.status() == 200).toList();
    }

    /** The webhook URL, secret path included: what a Slack admin hands out. */
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
