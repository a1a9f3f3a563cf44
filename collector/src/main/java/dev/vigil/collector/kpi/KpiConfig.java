package dev.vigil.collector.kpi;

import dev.vigil.config.ConfigNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code kpi_targets:} section of {@code collector.yaml}: the incident targets for every service,
 * and for some services their own.
 *
 * <pre>
 * kpi_targets:
 *   detect: 2m
 *   acknowledge: 30m
 *   restore: 4h
 *   services:
 *     checkout: {restore: 1h}
 * </pre>
 *
 * @param defaults the targets of a service without its own
 * @param services per-service targets, each complete (unset fields taken from the defaults)
 */
public record KpiConfig(KpiTargets defaults, Map<String, KpiTargets> services) {
    /** The top-level key of {@code collector.yaml} that {@link #read} handles. */
    public static final String KEY = "kpi_targets";
    /** The default targets for every service. */
    public static final KpiConfig DEFAULT = new KpiConfig(KpiTargets.DEFAULT, Map.of());

    private static final Set<String> FIELDS = Set.of("detect", "acknowledge", "restore");

    /** Validates presence. */
    public KpiConfig {
        Objects.requireNonNull(defaults, "defaults");
        services = Map.copyOf(services);
    }

    /**
     * Reads {@code kpi_targets:} of {@code root}; {@link #DEFAULT} when absent.
     *
     * @throws dev.vigil.config.ConfigException naming the field, the value and the position of the first error
     */
    public static KpiConfig read(ConfigNode root) {
        return root.find(KEY).map(KpiConfig::section).orElse(DEFAULT);
    }

    /** The targets of {@code service}: its own, or the defaults. */
    public KpiTargets targetsFor(String service) {
        return services.getOrDefault(service, defaults);
    }

    private static KpiConfig section(ConfigNode node) {
        Set<String> known = new java.util.HashSet<>(FIELDS);
        known.add("services");
        node.rejectUnknown(known);
        KpiTargets defaults = targets(node, KpiTargets.DEFAULT);
        Map<String, KpiTargets> services = new LinkedHashMap<>();
        node.find("services").ifPresent(list -> list.entries().forEach((name, entry) -> {
            entry.rejectUnknown(FIELDS);
            services.put(name, targets(entry, defaults));
        }));
        return new KpiConfig(defaults, services);
    }

    private static KpiTargets targets(ConfigNode node, KpiTargets fallback) {
        return new KpiTargets(node.duration("detect", fallback.detect()),
                node.duration("acknowledge", fallback.acknowledge()), node.duration("restore", fallback.restore()));
    }
}
