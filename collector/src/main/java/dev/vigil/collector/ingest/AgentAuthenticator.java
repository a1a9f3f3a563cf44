package dev.vigil.collector.ingest;

import dev.vigil.collector.config.AgentConfig;
import dev.vigil.collector.config.TokenDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the agent an {@code Authorization: Bearer <token>} header belongs to. The presented token is
 * hashed and compared with every agent's digest in constant time, all of them, so neither the
 * comparison nor the loop tells an attacker how close a guess was.
 */
public final class AgentAuthenticator {
    private static final String BEARER = "bearer ";

    private final List<AgentConfig> agents;

    /** An authenticator for {@code agents}. */
    public AgentAuthenticator(List<AgentConfig> agents) {
        this.agents = List.copyOf(agents);
    }

    /** The name of the agent {@code authorization} authenticates, or empty for a missing or unknown token. */
    public Optional<String> authenticate(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        TokenDigest presented = TokenDigest.of(authorization.substring(BEARER.length()).trim());
        String found = null;
        for (AgentConfig agent : agents) {
            if (agent.tokenDigest().matches(presented) && found == null) {
                found = agent.name();
            }
        }
        return Optional.ofNullable(found);
    }
}
