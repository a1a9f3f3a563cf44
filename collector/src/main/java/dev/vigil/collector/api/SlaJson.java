package dev.vigil.collector.api;

import dev.vigil.collector.engine.ServiceStatus;
import dev.vigil.collector.sla.BurnRateAlert;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.LatencyRatioObjective;
import dev.vigil.collector.sla.MaintenanceExclusion;
import dev.vigil.collector.sla.Objective;
import dev.vigil.collector.sla.ObjectiveResult;
import dev.vigil.collector.sla.SlaOutage;
import dev.vigil.collector.sla.SlaResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * An SLA result as the API shows it, field by field what an auditor asks for: the range, the time
 * accounting (service hours, maintenance with who and why, no-data time and its policy, agreed
 * time, downtime), each objective's target, measured value, verdict and error budget, the outages,
 * MTTR, MTBF and MTTD. Times are ISO-8601 instants, durations seconds. The SLA API and the SLA
 * report ({@code dev.vigil.collector.report}) both write a result with it, so they agree field by field.
 */
public final class SlaJson {
    private SlaJson() {
    }

    /**
     * {@code result} in full; each objective carries its burn rates now when {@code burnRates} has them
     * (the SLA report, about a period rather than now, passes none).
     */
    public static JsonObject of(SlaResult result, List<BurnRates> burnRates) {
        JsonArray objectives = new JsonArray();
        for (ObjectiveResult objective : result.objectives()) {
            JsonObject json = objective(objective);
            burnRates.stream().filter(rates -> rates.objective().equals(objective.objective())).findFirst()
                    .ifPresent(rates -> json.put("burnRates", burnRates(rates)));
            objectives.add(json);
        }
        JsonArray maintenance = new JsonArray();
        for (MaintenanceExclusion exclusion : result.maintenance()) {
            maintenance.add(new JsonObject()
                    .put("id", exclusion.id())
                    .put("createdBy", exclusion.createdBy())
                    .put("reason", exclusion.reason())
                    .put("createdAt", exclusion.createdAt().toString())
                    .put("excludedSeconds", seconds(exclusion.excludedMillis())));
        }
        JsonArray outages = new JsonArray();
        for (SlaOutage outage : result.outages()) {
            outages.add(new JsonObject()
                    .put("start", instant(outage.outage().startEpochMillis()))
                    .put("end", outage.outage().endEpochMillis().isPresent()
                            ? instant(outage.outage().endEpochMillis().getAsLong()) : null)
                    .put("ongoing", !outage.outage().ended())
                    .put("detected", instant(outage.outage().detectedEpochMillis()))
                    .put("durationSeconds", seconds(outage.durationMillis()))
                    .put("downtimeSeconds", seconds(outage.downtimeMillis())));
        }
        return new JsonObject()
                .put("service", result.service())
                .put("sla", result.sla())
                .put("period", result.label())
                .put("from", instant(result.fromMillis()))
                .put("to", instant(result.toMillis()))
                .put("countedUntil", instant(result.countedUntilMillis()))
                .put("complete", result.countedUntilMillis() == result.toMillis())
                .put("availability", value(result.availability()))
                .put("serviceHoursSeconds", seconds(result.serviceHoursMillis()))
                .put("maintenanceSeconds", seconds(result.maintenanceMillis()))
                .put("maintenance", maintenance)
                .put("noDataSeconds", seconds(result.noDataMillis()))
                .put("noDataPolicy", result.noDataPolicy().name().toLowerCase(Locale.ROOT))
                .put("agreedSeconds", seconds(result.agreedMillis()))
                .put("downtimeSeconds", seconds(result.downtimeMillis()))
                .put("upSeconds", seconds(result.upMillis()))
                .put("objectives", objectives)
                .put("outages", outages)
                .put("outagesStarted", result.outagesStarted())
                .put("outagesEnded", result.outagesEnded())
                .put("mttrSeconds", secondsOf(result.mttrMillis()))
                .put("mtbfSeconds", secondsOf(result.mtbfMillis()))
                .put("mttdSeconds", secondsOf(result.mttdMillis()));
    }

    /** A line of the all-services summary: the verdicts, without the lists. */
    static JsonObject summary(SlaResult result, ServiceStatus status) {
        JsonArray objectives = new JsonArray();
        for (ObjectiveResult objective : result.objectives()) {
            objectives.add(objective(objective));
        }
        return new JsonObject()
                .put("service", result.service())
                .put("state", status.state().name().toLowerCase(Locale.ROOT))
                .put("sla", result.sla())
                .put("period", result.label())
                .put("availability", value(result.availability()))
                .put("downtimeSeconds", seconds(result.downtimeMillis()))
                .put("outagesStarted", result.outagesStarted())
                .put("mttrSeconds", secondsOf(result.mttrMillis()))
                .put("met", result.objectives().stream().allMatch(ObjectiveResult::met))
                .put("objectives", objectives);
    }

    static JsonObject objective(ObjectiveResult objective) {
        Objective o = objective.objective();
        JsonObject json = new JsonObject()
                .put("kind", o.kind())
                .put("target", o.target());
        if (o instanceof LatencyRatioObjective ratio) {
            json.put("thresholdMs", ratio.thresholdMicros() / 1000.0);
        } else if (o instanceof LatencyPercentileObjective percentile) {
            json.put("percentile", percentile.percentile()).put("thresholdMs", percentile.thresholdMicros() / 1000.0);
        }
        return json
                .put("measured", value(objective.measured()))
                .put("percentileMs", objective.percentileMicros().isPresent()
                        ? objective.percentileMicros().getAsLong() / 1000.0 : null)
                .put("met", objective.met())
                .put("bad", objective.bad())
                .put("total", objective.total())
                .put("unit", objective.unit().name().toLowerCase(Locale.ROOT))
                .put("errorBudgetRemaining", objective.errorBudgetRemaining());
    }

    private static JsonArray burnRates(BurnRates rates) {
        JsonArray alerts = new JsonArray();
        for (BurnRateAlert alert : rates.alerts()) {
            alerts.add(new JsonObject()
                    .put("longWindow", alert.rule().longWindow().toString())
                    .put("shortWindow", alert.rule().shortWindow().toString())
                    .put("factor", alert.rule().factor())
                    .put("severity", alert.rule().severity().name().toLowerCase(Locale.ROOT))
                    .put("longBurnRate", alert.longBurnRate())
                    .put("shortBurnRate", alert.shortBurnRate())
                    .put("firing", alert.firing()));
        }
        return alerts;
    }

    private static String instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }

    private static Double secondsOf(OptionalDouble millis) {
        return millis.isPresent() ? millis.getAsDouble() / 1000.0 : null;
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
