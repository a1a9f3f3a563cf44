package dev.vigil.agent.blackbox;

import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.Set;

/**
 * Reads the {@code icmp:} block of a module into an {@link IcmpProbeSpec} prototype: one echo
 * request per probe, as blackbox_exporter sends.
 */
final class IcmpModuleReader {
    /** The fields of an {@code icmp:} block in blackbox_exporter 0.23. */
    static final Set<String> FIELDS = Set.of("preferred_ip_protocol", "ip_protocol_fallback", "source_ip_address",
            "payload_size", "dont_fragment", "ttl");
    /** The host of every prototype; a request swaps in its target. */
    static final String PLACEHOLDER_HOST = "placeholder.invalid";
    /** blackbox_exporter's payload when {@code payload_size} is unset: "Prometheus Blackbox Exporter". */
    static final int DEFAULT_PAYLOAD_BYTES = 28;

    private static final int MAX_TTL = 255;

    private IcmpModuleReader() {
    }

    static IcmpProbeSpec read(ConfigNode block, Unsupported unsupported) {
        block.rejectUnknown(FIELDS);
        int ttl = block.integer("ttl", Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
        if (ttl < 0) {
            throw block.get("ttl").error("cannot be negative (was " + ttl + ")");
        }
        if (ttl > MAX_TTL) {
            throw block.get("ttl").error("cannot exceed " + MAX_TTL + " (was " + ttl + ")");
        }
        int payload = block.integer("payload_size", Integer.MIN_VALUE, Integer.MAX_VALUE, 0);
        if (payload == 0) {
            payload = DEFAULT_PAYLOAD_BYTES;
        } else if (payload < 0 || payload > 65000) {
            unsupported.add(block.get("payload_size"), "must be 0..65000 for Vigil (was " + payload + ")");
            payload = DEFAULT_PAYLOAD_BYTES;
        }
        boolean dontFragment = block.bool("dont_fragment", false);
        return new IcmpProbeSpec(PLACEHOLDER_HOST, 1, Duration.ofSeconds(1), payload, ttl, dontFragment, 0,
                ModuleFields.network(block, true, unsupported));
    }
}
