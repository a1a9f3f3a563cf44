package dev.vigil.collector.config;

import dev.vigil.collector.state.CheckBoard;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A push check: a job (a backup, a batch import, a cron script) that reports to the collector with
 * {@code POST /api/v1/heartbeat/<id>} and is down when it has not reported within {@code period}
 * plus {@code grace}. Its samples belong to the reserved agent {@value #AGENT}, so its check is
 * {@code heartbeat/<id>}.
 *
 * @param id          the check id, 1..128 characters of {@code [A-Za-z0-9._-]}, as an agent's check id
 * @param period      how often the job reports, at least {@link #MIN_PERIOD}
 * @param grace       how late a report may be before it counts as missed, ≥ 0
 * @param tokenDigest the SHA-256 of the bearer token the job presents
 */
public record HeartbeatConfig(String id, Duration period, Duration grace, TokenDigest tokenDigest) {
    /** The agent name heartbeat samples are recorded under; no configured agent may have it. */
    public static final String AGENT = "heartbeat";
    /** The shape of a heartbeat id: an agent check id's, since it is a check id and a URL segment. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /**
     * The shortest period: a missed heartbeat makes one sample per period, and a collector that was
     * down for {@link CheckBoard#MAX_AGE} catches up on all of them at once.
     */
    public static final Duration MIN_PERIOD = Duration.ofMinutes(1);
    /**
     * The longest period plus grace: the oldest sample the collector accepts, so that the first missed
     * deadline is always inside the horizon when it is detected.
     */
    public static final Duration MAX_DEADLINE = CheckBoard.MAX_AGE;

    /** Validates the id and the durations. */
    public HeartbeatConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(tokenDigest, "tokenDigest");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("heartbeat id must be 1..128 of [A-Za-z0-9._-] (was '" + id + "')");
        }
        if (period.compareTo(MIN_PERIOD) < 0) {
            throw new IllegalArgumentException("heartbeat " + id + " period must be at least 1m (was " + period + ")");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("heartbeat " + id + " grace must be >= 0 (was " + grace + ")");
        }
        if (period.plus(grace).compareTo(MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("heartbeat " + id + " period + grace must be at most "
                    + MAX_DEADLINE.toDays() + "d (was " + period.plus(grace) + ")");
        }
    }

    /** How long after a report the next one must have arrived: period plus grace. */
    public Duration deadline() {
        return period.plus(grace);
    }

    /**
     * Checks what the per-item rules cannot: unique ids and tokens, no token shared with an agent, and
     * no agent under the reserved name.
     *
     * @throws IllegalArgumentException naming the offending entries
     */
    static void requireConsistent(List<HeartbeatConfig> heartbeats, List<AgentConfig> agents) {
        for (AgentConfig agent : agents) {
            if (agent.name().equals(AGENT)) {
                throw new IllegalArgumentException("agent name " + AGENT + " is reserved for heartbeat checks");
            }
        }
        for (int i = 0; i < heartbeats.size(); i++) {
            HeartbeatConfig heartbeat = heartbeats.get(i);
            for (int j = 0; j < i; j++) {
                HeartbeatConfig other = heartbeats.get(j);
                if (other.id().equals(heartbeat.id())) {
                    throw new IllegalArgumentException("heartbeat id " + heartbeat.id() + " is used twice");
                }
                if (other.tokenDigest().matches(heartbeat.tokenDigest())) {
                    throw new IllegalArgumentException("heartbeats " + other.id() + " and " + heartbeat.id()
                            + " share a token");
                }
            }
            for (AgentConfig agent : agents) {
                if (agent.tokenDigest().isPresent() && agent.tokenDigest().get().matches(heartbeat.tokenDigest())) {
                    throw new IllegalArgumentException("heartbeat " + heartbeat.id() + " shares a token with agent "
                            + agent.name());
                }
            }
        }
    }
}
