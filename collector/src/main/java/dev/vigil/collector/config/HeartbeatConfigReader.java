package dev.vigil.collector.config;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code heartbeats} list of {@code collector.yaml} into {@link HeartbeatConfig}s. */
final class HeartbeatConfigReader {
    private HeartbeatConfigReader() {
    }

    /**
     * The heartbeats listed in {@code root}; also refuses an agent under the reserved name
     * {@value HeartbeatConfig#AGENT}, even when no heartbeat is configured, so that adding one later
     * cannot merge two checks.
     *
     * @param agents the agents already read from {@code root.agents}, in file order
     */
    static List<HeartbeatConfig> read(ConfigNode root, List<AgentConfig> agents) {
        List<ConfigNode> agentNodes = root.get("agents").items();
        for (int i = 0; i < agents.size(); i++) {
            if (agents.get(i).name().equals(HeartbeatConfig.AGENT)) {
                throw agentNodes.get(i).get("name").error("must not be '" + HeartbeatConfig.AGENT
                        + "', the name heartbeat checks are recorded under");
            }
        }
        List<HeartbeatConfig> heartbeats = new ArrayList<>();
        Map<String, String> pathById = new HashMap<>();
        List<String> digestPaths = new ArrayList<>();
        for (ConfigNode item : root.list("heartbeats")) {
            item.rejectUnknown(Set.of("id", "period", "grace", "token", "token_sha256"));
            String id = id(item, pathById);
            Duration period = item.duration("period");
            if (period.compareTo(HeartbeatConfig.MIN_PERIOD) < 0) {
                throw item.get("period").error("must be at least 1m (was " + item.get("period").text().trim() + ")");
            }
            Duration grace = grace(item);
            if (period.plus(grace).compareTo(HeartbeatConfig.MAX_DEADLINE) > 0) {
                throw item.error("period + grace must be at most " + HeartbeatConfig.MAX_DEADLINE.toDays()
                        + "d, the oldest sample the collector accepts (was "
                        + DurationText.format(period.plus(grace)) + ")");
            }
            TokenDigest digest = tokenDigest(item);
            ConfigNode tokenNode = item.find("token").orElseGet(() -> item.get("token_sha256"));
            for (int i = 0; i < heartbeats.size(); i++) {
                if (heartbeats.get(i).tokenDigest().matches(digest)) {
                    throw tokenNode.error("is the same token as " + digestPaths.get(i)
                            + "; every heartbeat needs its own token");
                }
            }
            for (int i = 0; i < agents.size(); i++) {
                Optional<TokenDigest> agentDigest = agents.get(i).tokenDigest();
                if (agentDigest.isPresent() && agentDigest.get().matches(digest)) {
                    throw tokenNode.error("is the same token as " + agentNodes.get(i).path()
                            + "; a heartbeat's token must not let a script ship samples as an agent");
                }
            }
            digestPaths.add(item.path());
            heartbeats.add(new HeartbeatConfig(id, period, grace, digest));
        }
        return heartbeats;
    }

    private static String id(ConfigNode item, Map<String, String> pathById) {
        ConfigNode node = item.get("id");
        String id = item.string("id").trim();
        if (!HeartbeatConfig.ID.matcher(id).matches()) {
            throw node.error("must be 1..128 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was '" + id + "')");
        }
        String previous = pathById.putIfAbsent(id, node.path());
        if (previous != null) {
            throw node.error("must be unique (was '" + id + "', as " + previous + ")");
        }
        return id;
    }

    private static Duration grace(ConfigNode item) {
        Optional<ConfigNode> node = item.find("grace");
        if (node.isEmpty()) {
            return Duration.ZERO;
        }
        String text = node.get().text();
        try {
            // Zero is a valid grace, which ConfigNode.duration refuses: parsed here.
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw node.get().error("is " + e.getMessage());
        }
    }

    private static TokenDigest tokenDigest(ConfigNode item) {
        Optional<ConfigNode> token = item.find("token");
        Optional<ConfigNode> tokenSha256 = item.find("token_sha256");
        if (token.isPresent() && tokenSha256.isPresent()) {
            throw item.error("must set token or token_sha256, not both");
        }
        if (token.isEmpty() && tokenSha256.isEmpty()) {
            throw item.error("must set token or token_sha256");
        }
        if (token.isPresent()) {
            return TokenDigest.of(item.string("token"));
        }
        try {
            return TokenDigest.ofHex(tokenSha256.get().text());
        } catch (IllegalArgumentException e) {
            // The value is not echoed: a token pasted here by mistake must not reach a log.
            throw tokenSha256.get().error("must be 64 hexadecimal digits, the SHA-256 of the token");
        }
    }
}
