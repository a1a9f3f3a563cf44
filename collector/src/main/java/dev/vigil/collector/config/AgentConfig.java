package dev.vigil.collector.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An agent allowed to ship samples: its name, which becomes the first half of every check key, and
 * the digest of the bearer token it authenticates with.
 *
 * @param name        1..64 characters of {@code [A-Za-z0-9._-]}
 * @param tokenDigest the SHA-256 of the agent's token
 */
public record AgentConfig(String name, TokenDigest tokenDigest) {
    /** The shape of agent and webhook names: they appear in URLs, keys and metric labels. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Validates the name. */
    public AgentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenDigest, "tokenDigest");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("agent name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
    }
}
