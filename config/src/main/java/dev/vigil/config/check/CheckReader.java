package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurationText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads check definitions ({@code id}, {@code type}, {@code interval}, {@code timeout} and the probe
 * type's fields) into {@link CheckConfig}s, with errors that name the field, the value and
 * {@code file:line}. The agent reads its local checks and the checks a collector assigns it with this
 * reader, and the collector validates the checks it assigns with it, so all three obey one set of rules
 * and say the same words about a mistake.
 */
public final class CheckReader {
    private static final Set<String> CHECK_FIELDS = Set.of("id", "type", "interval", "timeout");

    private final SettingsReader settings;

    private CheckReader(SettingsReader settings) {
        this.settings = settings;
    }

    /**
     * A reader for the checks of a local configuration file: relative file names resolve against
     * {@code configDir}, the file's folder, and every file named must be usable.
     */
    public static CheckReader local(Path configDir) {
        return new CheckReader(new SettingsReader(configDir));
    }

    /**
     * A reader for checks a collector assigned to this agent: file names must be absolute, and the files
     * must be usable on this host.
     */
    public static CheckReader assignedOnAgent() {
        return new CheckReader(SettingsReader.assigned(true));
    }

    /**
     * A reader for checks the collector assigns: file names must be absolute; the files are on the
     * agents' hosts, so only their names are checked here.
     */
    public static CheckReader assignedAtCollector() {
        return new CheckReader(SettingsReader.assigned(false));
    }

    /**
     * The checks listed by {@code items}, ids unique among them; {@code extraFields} are further keys a
     * check may carry, read by the caller (the collector's {@code agents}).
     */
    public List<CheckConfig> checks(List<ConfigNode> items, Set<String> extraFields) {
        List<CheckConfig> checks = new ArrayList<>();
        Map<String, String> pathById = new HashMap<>();
        for (ConfigNode item : items) {
            CheckConfig check = check(item, extraFields);
            String previous = pathById.putIfAbsent(check.id(), item.path());
            if (previous != null) {
                throw item.get("id").error("must be unique; '" + check.id() + "' is already used by " + previous);
            }
            checks.add(check);
        }
        return checks;
    }

    /** The check at {@code node}; {@code extraFields} are further keys it may carry, read by the caller. */
    public CheckConfig check(ConfigNode node, Set<String> extraFields) {
        ProbeType type = node.enumValue("type", ProbeType.class);
        Set<String> known = new HashSet<>(CHECK_FIELDS);
        known.addAll(extraFields);
        known.addAll(switch (type) {
            case HTTP -> HttpSpecReader.FIELDS;
            case TCP -> TcpSpecReader.FIELDS;
            case TLS -> TlsSpecReader.FIELDS;
            case DNS -> DnsSpecReader.FIELDS;
            case ICMP -> IcmpSpecReader.FIELDS;
            case HOST -> HostSpecReader.FIELDS;
        });
        node.rejectUnknown(known);
        String id = node.string("id");
        if (!CheckConfig.ID.matcher(id).matches()) {
            throw node.get("id").error("must match " + CheckConfig.ID + " (was '" + id + "')");
        }
        Duration interval = node.duration("interval", CheckConfig.DEFAULT_INTERVAL);
        if (interval.compareTo(CheckConfig.MIN_INTERVAL) < 0) {
            throw node.get("interval").error("must be >= " + DurationText.format(CheckConfig.MIN_INTERVAL)
                    + " (was " + node.get("interval").text().trim() + ")");
        }
        Duration timeout = node.duration("timeout", CheckConfig.defaultTimeout(interval));
        if (timeout.compareTo(interval) >= 0) {
            throw node.get("timeout").error("must be < interval " + DurationText.format(interval)
                    + " (was " + node.get("timeout").text().trim() + ")");
        }
        ProbeSpec spec = switch (type) {
            case HTTP -> HttpSpecReader.read(node, settings);
            case TCP -> TcpSpecReader.read(node, settings);
            case TLS -> TlsSpecReader.read(node, settings);
            case DNS -> DnsSpecReader.read(node, settings);
            case ICMP -> IcmpSpecReader.read(node, settings, timeout);
            case HOST -> HostSpecReader.read(node);
        };
        return new CheckConfig(id, interval, timeout, spec);
    }
}
