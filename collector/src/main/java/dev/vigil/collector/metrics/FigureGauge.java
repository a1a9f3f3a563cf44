package dev.vigil.collector.metrics;

import java.util.List;

/**
 * A gauge whose samples are computed in the steps of {@link EngineFigures.Computation} and only written
 * by a scrape: its name, help and label names. Labels are configured names (agent, check, service, SLA,
 * objective) and fixed sets (window, percentile, period); none grows with traffic.
 */
enum FigureGauge {
    CHECK_AVAILABILITY("vigil_check_availability_ratio",
            "1 - downtime / time with data over the trailing window (24x7, no maintenance); absent without data",
            "agent", "check", "window"),
    CHECK_LATENCY_PERCENTILE("vigil_check_latency_percentile_seconds",
            "Percentile of the total time of the successful samples in the trailing window's 15-minute buckets, "
                    + "from HdrHistogram (3 significant digits); absent without a successful sample",
            "agent", "check", "window", "percentile"),
    SERVICE_UP("vigil_service_up",
            "1 when the service is up, 0 when it is down, by its checks and their quorums; absent while it has no data",
            "service"),
    SLA_AVAILABILITY("vigil_sla_availability_ratio",
            "1 - downtime / agreed service time over the SLA's current period so far",
            "service", "sla", "period"),
    SLA_AGREED("vigil_sla_agreed_seconds",
            "Agreed service time of the current period so far: service hours minus maintenance, minus no-data "
                    + "time under the exclude policy",
            "service", "sla"),
    SLA_DOWNTIME("vigil_sla_downtime_seconds",
            "Downtime within the agreed service time of the current period so far", "service", "sla"),
    SLA_MAINTENANCE("vigil_sla_maintenance_seconds",
            "Service hours of the current period so far excluded by maintenance", "service", "sla"),
    SLA_NO_DATA("vigil_sla_no_data_seconds",
            "Scheduled time of the current period so far without data from the service's agents", "service", "sla"),
    SLA_OUTAGES("vigil_sla_outages",
            "Outages that started in the current period so far", "service", "sla"),
    SLA_MTTR("vigil_sla_mttr_seconds",
            "Mean full duration of the outages that ended in the current period; absent without one",
            "service", "sla"),
    SLA_MTBF("vigil_sla_mtbf_seconds",
            "Agreed up time / outages started in the current period; absent without one", "service", "sla"),
    SLA_MTTD("vigil_sla_mttd_seconds",
            "Mean time from the start of the current period's outages to their detection; absent without one",
            "service", "sla"),
    OBJECTIVE_TARGET("vigil_sla_objective_target_ratio",
            "The share of good time or samples the objective requires", "service", "sla", "objective"),
    OBJECTIVE_RATIO("vigil_sla_objective_ratio",
            "The share of good time or samples measured over the current period so far; absent without data",
            "service", "sla", "objective"),
    OBJECTIVE_MET("vigil_sla_objective_met",
            "1 when the objective holds over the current period so far, else 0", "service", "sla", "objective"),
    ERROR_BUDGET_REMAINING("vigil_sla_error_budget_remaining_ratio",
            "1 - bad / ((1 - target) x total) over the current period so far: 1 untouched, 0 spent, negative "
                    + "overspent",
            "service", "sla", "objective"),
    BURN_RATE("vigil_sla_burn_rate",
            "Error budget burn rate over the trailing window: (bad / total) / (1 - target)",
            "service", "sla", "objective", "window");

    private final String metricName;
    private final String help;
    private final List<String> labelNames;

    FigureGauge(String metricName, String help, String... labelNames) {
        this.metricName = metricName;
        this.help = help;
        this.labelNames = List.of(labelNames);
    }

    String metricName() {
        return metricName;
    }

    String help() {
        return help;
    }

    String[] labelNames() {
        return labelNames.toArray(String[]::new);
    }

    int labelCount() {
        return labelNames.size();
    }
}
