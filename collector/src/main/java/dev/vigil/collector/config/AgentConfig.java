package dev.vigil.collector.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An agent allowed to ship samples: its name, which becomes the first half of every check key, the
 * credentials it must present, and the tenant its samples belong to.
 *
 * <p>An agent presents every credential configured for it: a bearer token whose SHA-256 is
 * {@code tokenDigest}, a client certificate naming {@code certificateName}, or both.
 *
 * @param name            1..64 characters of {@code [A-Za-z0-9._-]}
 * @param tokenDigest     the SHA-256 of the agent's bearer token, when it authenticates with one
 * @param certificateName the subject common name or a DNS subject alternative name of the agent's
 *                        client certificate, lower case, when it authenticates with one
 * @param tenant          who the agent's samples belong to, 1..64 characters of {@code [A-Za-z0-9._-]}
 */
public record AgentConfig(String name, Optional<TokenDigest> tokenDigest, Optional<String> certificateName,
        String tenant) {
    /** The shape of agent, tenant and webhook names: they appear in URLs, keys and metric labels. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The shape of a certificate name: a DNS name or a common name without spaces or wildcards. */
    static final Pattern CERTIFICATE_NAME = Pattern.compile("[a-z0-9._@-]{1,253}");
    /** The tenant of an agent that names none. */
    public static final String DEFAULT_TENANT = "default";

    /** Validates the name, the tenant and that at least one credential is set. */
    public AgentConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenDigest, "tokenDigest");
        Objects.requireNonNull(certificateName, "certificateName");
        Objects.requireNonNull(tenant, "tenant");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("agent name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
        if (!NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("agent tenant must be 1..64 of [A-Za-z0-9._-] (was '" + tenant + "')");
        }
        if (tokenDigest.isEmpty() && certificateName.isEmpty()) {
            throw new IllegalArgumentException("agent " + name + " needs a token or a certificate name");
        }
        if (certificateName.isPresent() && !CERTIFICATE_NAME.matcher(certificateName.get()).matches()) {
            throw new IllegalArgumentException("agent certificate name must be 1..253 lower-case characters of "
                    + "[a-z0-9._@-] (was '" + certificateName.get() + "')");
        }
    }

    /** An agent of the default tenant authenticating with a token alone. */
    public AgentConfig(String name, TokenDigest tokenDigest) {
        this(name, Optional.of(tokenDigest), Optional.empty(), DEFAULT_TENANT);
    }

    /** {@code name} as a certificate name is compared: DNS names are case-insensitive. */
    static String certificateName(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
