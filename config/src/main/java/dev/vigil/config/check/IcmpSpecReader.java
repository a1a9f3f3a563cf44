package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurationText;
import io.netty.util.NetUtil;
import java.time.Duration;
import java.util.Set;

/** Reads the fields of a {@code type: icmp} check into an {@link IcmpProbeSpec}. */
final class IcmpSpecReader {
    /** The fields of an ICMP check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork(
            "target", "count", "spacing", "payload_size", "ttl", "dont_fragment", "max_loss");

    private IcmpSpecReader() {
    }

    /** The ICMP settings of check {@code node}, whose run must end within {@code timeout}. */
    static IcmpProbeSpec read(ConfigNode node, SettingsReader settings, Duration timeout) {
        String host = host(node.get("target"));
        int count = node.integer("count", 1, 100, IcmpProbeSpec.DEFAULT_COUNT);
        Duration spacing = node.duration("spacing", IcmpProbeSpec.DEFAULT_SPACING);
        if (spacing.compareTo(Duration.ofMillis(10)) < 0) {
            throw node.get("spacing").error("must be >= 10ms (was " + node.get("spacing").text().trim() + ")");
        }
        // The last request must leave time for its reply.
        Duration sending = spacing.multipliedBy(count - 1L);
        if (sending.compareTo(timeout) >= 0) {
            throw node.error("sends " + count + " echo requests " + DurationText.format(spacing) + " apart over "
                    + DurationText.format(sending) + ", which leaves no time for replies within its timeout "
                    + DurationText.format(timeout));
        }
        int payload = node.integer("payload_size", 0, 65_000, IcmpProbeSpec.DEFAULT_PAYLOAD_BYTES);
        int ttl = node.integer("ttl", 1, 255, 0);
        boolean dontFragment = node.bool("dont_fragment", false);
        double maxLoss = RatioText.read(node, "max_loss").orElse(IcmpProbeSpec.DEFAULT_MAX_LOSS);
        return new IcmpProbeSpec(host, count, spacing, payload, ttl, dontFragment, maxLoss, settings.network(node));
    }

    /** A host name or an IP address; an IPv6 address may come in brackets; no port. */
    private static String host(ConfigNode node) {
        String text = node.text().trim();
        if (text.startsWith("[") && text.endsWith("]")) {
            String inside = text.substring(1, text.length() - 1);
            if (NetUtil.isValidIpV6Address(inside)) {
                return inside;
            }
        }
        if (text.isEmpty()) {
            throw node.error("must not be empty");
        }
        if (NetUtil.isValidIpV4Address(text) || NetUtil.isValidIpV6Address(text)) {
            return text;
        }
        if (!text.matches("[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?")) {
            throw node.error("must be a host name or an IP address, without port or scheme (was '" + text + "')");
        }
        return text;
    }
}
