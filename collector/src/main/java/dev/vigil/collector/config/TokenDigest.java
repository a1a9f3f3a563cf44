package dev.vigil.collector.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 digest of an agent's bearer token: the only form in which the collector keeps a token.
 * Comparisons run in constant time and {@link #toString()} never shows the digest.
 */
public final class TokenDigest {
    /** The length of a digest in bytes. */
    public static final int BYTES = 32;

    private final byte[] sha256;

    private TokenDigest(byte[] sha256) {
        if (sha256.length != BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest has " + BYTES + " bytes (was " + sha256.length + ")");
        }
        this.sha256 = sha256.clone();
    }

    /** The digest of {@code token}, as presented in an {@code Authorization: Bearer} header or a file. */
    public static TokenDigest of(String token) {
        return new TokenDigest(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The digest written as 64 hexadecimal digits.
     *
     * @throws IllegalArgumentException when {@code hex} is not 64 hexadecimal digits
     */
    public static TokenDigest ofHex(String hex) {
        String trimmed = hex.trim();
        if (!trimmed.matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("not 64 hexadecimal digits");
        }
        return new TokenDigest(HexFormat.of().parseHex(trimmed));
    }

    /** Whether {@code other} is the same digest, compared in time independent of where they differ. */
    public boolean matches(TokenDigest other) {
        return MessageDigest.isEqual(sha256, other.sha256);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenDigest digest && matches(digest);
    }

    @Override
    public int hashCode() {
        return sha256[0] << 24 | (sha256[1] & 0xFF) << 16 | (sha256[2] & 0xFF) << 8 | (sha256[3] & 0xFF);
    }

    @Override
    public String toString() {
        return "TokenDigest[redacted]";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
