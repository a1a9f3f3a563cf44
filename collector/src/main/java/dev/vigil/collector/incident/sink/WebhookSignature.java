package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.WebhookSecret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests as Standard Webhooks specifies: {@code webhook-signature: v1,<base64>} where
 * the base64 is the HMAC-SHA256, keyed with the secret, of {@code <webhook-id>.<webhook-timestamp>.<body>}.
 */
final class WebhookSignature {
    private final SecretKeySpec key;

    WebhookSignature(WebhookSecret secret) {
        this.key = new SecretKeySpec(secret.key(), "HmacSHA256");
    }

    /** The {@code webhook-signature} header value for a request. */
    String sign(String webhookId, long timestampSeconds, byte[] body) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every Java platform provides HmacSHA256", e);
        }
        mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        mac.update(body);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    }
}
