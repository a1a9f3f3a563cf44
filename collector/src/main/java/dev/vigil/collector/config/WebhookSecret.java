package dev.vigil.collector.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The key a webhook's requests are signed with (Standard Webhooks, HMAC-SHA256). Written either as
 * {@code whsec_<base64>}, whose decoded bytes are the key, or as plain text, whose UTF-8 bytes are.
 * {@link #toString()} never shows the key.
 */
public final class WebhookSecret {
    private static final String PREFIX = "whsec_";

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the key must not be empty");
        }
        this.key = key.clone();
    }

    /**
     * The secret written as {@code text}.
     *
     * @throws IllegalArgumentException when a {@code whsec_} secret is not base64 or decodes to nothing
     */
    public static WebhookSecret parse(String text) {
        if (text.startsWith(PREFIX)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(text.substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("starts with whsec_ but the rest is not base64");
            }
            if (decoded.length == 0) {
                throw new IllegalArgumentException("starts with whsec_ but holds no key");
            }
            return new WebhookSecret(decoded);
        }
        return new WebhookSecret(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the key bytes. */
    public byte[] key() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }
}
