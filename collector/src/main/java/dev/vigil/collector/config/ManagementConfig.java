package dev.vigil.collector.config;

import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.problem.ProblemConfig;
import dev.vigil.config.ConfigNode;
import java.util.Objects;
import java.util.Set;

/**
 * The service-management settings of {@code collector.yaml}: incident KPI targets ({@code kpi_targets:})
 * and the recurrence rule that opens problems ({@code problems:}).
 *
 * @param kpis     the KPI targets
 * @param problems the recurrence rule
 */
public record ManagementConfig(KpiConfig kpis, ProblemConfig problems) {
    /** The top-level keys these settings are read from. */
    public static final Set<String> KEYS = Set.of(KpiConfig.KEY, ProblemConfig.KEY);
    /** The defaults of every section. */
    public static final ManagementConfig DEFAULT = new ManagementConfig(KpiConfig.DEFAULT, ProblemConfig.DEFAULT);

    /** Validates presence. */
    public ManagementConfig {
        Objects.requireNonNull(kpis, "kpis");
        Objects.requireNonNull(problems, "problems");
    }

    /** The sections of {@code root}, defaults where absent. */
    public static ManagementConfig read(ConfigNode root) {
        return new ManagementConfig(KpiConfig.read(root), ProblemConfig.read(root));
    }
}
