package dev.vigil.collector.config;

import dev.vigil.collector.change.ChangeConfig;
import dev.vigil.collector.kpi.KpiConfig;
import dev.vigil.collector.problem.ProblemConfig;
import dev.vigil.config.ConfigNode;
import java.util.Objects;
import java.util.Set;

/**
 * The service-management settings of {@code collector.yaml}: incident KPI targets ({@code kpi_targets:}),
 * the recurrence rule that opens problems ({@code problems:}) and the window after a change in which an
 * incident may have been caused by it ({@code changes:}).
 *
 * @param kpis     the KPI targets
 * @param problems the recurrence rule
 * @param changes  the change-induced window
 */
public record ManagementConfig(KpiConfig kpis, ProblemConfig problems, ChangeConfig changes) {
    /** The top-level keys these settings are read from. */
    public static final Set<String> KEYS = Set.of(KpiConfig.KEY, ProblemConfig.KEY, "changes");
    /** The defaults of every section. */
    public static final ManagementConfig DEFAULT = new ManagementConfig(KpiConfig.DEFAULT, ProblemConfig.DEFAULT,
            ChangeConfig.DEFAULT);

    /** Validates presence. */
    public ManagementConfig {
        Objects.requireNonNull(kpis, "kpis");
        Objects.requireNonNull(problems, "problems");
        Objects.requireNonNull(changes, "changes");
    }

    /** The sections of {@code root}, defaults where absent. */
    public static ManagementConfig read(ConfigNode root) {
        return new ManagementConfig(KpiConfig.read(root), ProblemConfig.read(root), ChangeConfig.read(root));
    }
}
