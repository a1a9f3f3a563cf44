package dev.vigil.collector.ingest;

import java.util.Objects;

/** The outcome of checking an ingest request's credentials: the agent, or why it is refused. */
public sealed interface Authentication {
    /** The credentials prove {@code identity}. */
    record Accepted(AgentIdentity identity) implements Authentication {
        /** Requires the identity. */
        public Accepted {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * The request is refused with {@code status} (401 or 403) and {@code message}, counted as {@code reason}.
     * The message names no token and no other agent.
     */
    record Refused(int status, RejectReason reason, String message) implements Authentication {
        /** Requires a 401 or 403. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            if (status != 401 && status != 403) {
                throw new IllegalArgumentException("an authentication refusal is 401 or 403 (was " + status + ")");
            }
        }
    }
}
