package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code webhook-signature} header of Standard Webhooks: for each key, {@code v1,<base64>} where the
 * base64 is the HMAC-SHA256, keyed with it, of {@code <webhook-id>.<webhook-timestamp>.<body>}; several
 * keys give several signatures separated by spaces, newest key first, so a receiver still holding the
 * old key accepts requests while a rotation is under way.
 */
final class WebhookSignature {
    private final List<SecretKeySpec> keys;

    /** Signs with {@code secrets}, newest first; at least one. */
    WebhookSignature(List<WebhookSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a signature needs at least one secret");
        }
        this.keys = secrets.stream().map(secret -> new SecretKeySpec(secret.key(), "HmacSHA256")).toList();
    }

    /** The header value for a request with this id, timestamp (seconds since the epoch) and body. */
    String sign(String webhookId, long timestampSeconds, byte[] body) {
        byte[] signedPrefix = (webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (SecretKeySpec key : keys) {
            Mac mac = mac(key);
            mac.update(signedPrefix);
            mac.update(body);
            header.add("v1," + Base64.getEncoder().encodeToString(mac.doFinal()));
        }
        return header.toString();
    }

    private static Mac mac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
    }
}
