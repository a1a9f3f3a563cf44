package dev.vigil.collector.engine;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.catalogue.ServiceCheck;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.CheckLatency;
import dev.vigil.collector.sla.CheckTimeline;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencySource;
import dev.vigil.collector.sla.LatencyView;
import dev.vigil.collector.sla.OutageRecord;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.QuorumTimeline;
import dev.vigil.collector.sla.ServiceTimeline;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaEvaluator;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.sla.StateTimeline;
import dev.vigil.collector.sla.TimelineSlice;
import dev.vigil.collector.sla.TimelineState;
import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Sample;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The SLA engine: every check location's timeline and latency, services composed from them as the
 * catalogue says, and their SLA figures. Fed by the board (it is a {@link CheckListener}), told about
 * catalogue changes, read by the API and the metrics, and carried by the collector's snapshots. Not
 * thread-safe: the collector's event loop only.
 */
public final class SlaEngine implements CheckListener, SnapshotPart {
    /**
     * How long state history is kept: 13 months of 31 days and a day, so the same month last year can
     * always be evaluated.
     */
    public static final Duration STATE_HISTORY = Duration.ofDays(13 * 31 + 1);
    /**
     * The shortest latency horizon: the longest calendar month plus the 35 days a late sample may
     * be, rounded: a monthly report can still be asked for in the first days of the next month.
     */
    public static final Duration MIN_LATENCY_HORIZON = Duration.ofDays(35);
    /** How far past its nominal length an SLA period's latency is kept, for reports after its end. */
    private static final Duration PERIOD_MARGIN = Duration.ofDays(5);
    private static final int SNAPSHOT_FORMAT = 1;
    private static final int PERCENT_50 = 50;

    private final InstantSource clock;
    private final Function<CheckKey, Thresholds> thresholds;
    private final Function<CheckKey, Optional<Duration>> intervals;
    private final Map<CheckKey, CheckRecord> checks = new HashMap<>();
    private Catalogue catalogue;
    /** Services composed from the catalogue and the records; rebuilt when either changes shape. */
    private Map<String, ServiceModel> services;

    /**
     * An engine without check records.
     *
     * @param clock      what "now" is for queries and retention
     * @param thresholds the hysteresis of each check location, as the board applies it
     * @param catalogue  the services and SLAs to evaluate; replaced by {@link #catalogueChanged}
     * @param intervals  the probe interval of a check location when the collector knows it (assigned
     *                   checks, heartbeats): its no-data delay is then 3 × the interval
     */
    public SlaEngine(InstantSource clock, Function<CheckKey, Thresholds> thresholds, Catalogue catalogue,
            Function<CheckKey, Optional<Duration>> intervals) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        this.intervals = Objects.requireNonNull(intervals, "intervals");
    }

    @Override
    public void onSample(AppliedSample applied) {
        Sample sample = applied.sample();
        CheckRecord record = record(applied.key());
        record.timeline().apply(sample.scheduledEpochMillis(), sample.success(), applied.receivedEpochMillis());
        if (sample.success()) {
            record.latency().recordSuccess(sample.scheduledEpochMillis(), sample.totalNanos() / 1_000);
        } else {
            record.latency().recordFailure(sample.scheduledEpochMillis());
        }
    }

    /** Evaluates the services of {@code newCatalogue} from now on; history is kept. */
    public void catalogueChanged(Catalogue newCatalogue) {
        catalogue = Objects.requireNonNull(newCatalogue, "newCatalogue");
        services = null;
    }

    /** The catalogue in use. */
    public Catalogue catalogue() {
        return catalogue;
    }

    /** The engine's "now", epoch milliseconds. */
    public long clockMillis() {
        return clock.millis();
    }

    /** Every service of the catalogue, in catalogue order. */
    public List<String> serviceNames() {
        return List.copyOf(services().keySet());
    }

    /** The state of {@code service} now; empty if the catalogue has no such service. */
    public Optional<ServiceStatus> status(String service) {
        ServiceModel model = services().get(service);
        if (model == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        List<ServiceStatus.CheckState> states = new ArrayList<>();
        boolean anyReported = false;
        boolean flapping = false;
        for (int i = 0; i < model.service().checks().size(); i++) {
            ServiceCheck check = model.service().checks().get(i);
            List<ServiceStatus.LocationState> locations = new ArrayList<>();
            for (String agent : check.agents()) {
                CheckTimeline timeline = checks.get(new CheckKey(agent, check.check())).timeline();
                anyReported |= timeline.hasSamples();
                boolean locationFlapping = timeline.isFlapping(now);
                flapping |= locationFlapping;
                locations.add(new ServiceStatus.LocationState(agent, timeline.currentState(now), locationFlapping));
            }
            states.add(new ServiceStatus.CheckState(check.check(), check.quorum(),
                    stateNow(model.checkTimelines().get(i), now), locations));
        }
        TimelineState state = anyReported ? stateNow(model.timeline(), now) : TimelineState.UNKNOWN;
        return Optional.of(new ServiceStatus(service, state, flapping, states));
    }

    /** The SLA of {@code service}, if the catalogue gives it one. */
    public Optional<SlaDefinition> slaOf(String service) {
        return Optional.ofNullable(services().get(service)).flatMap(model -> Optional.ofNullable(model.sla()));
    }

    /** The period of {@code service}'s SLA holding now; empty without an SLA. */
    public Optional<PeriodRange> currentPeriod(String service) {
        return slaOf(service).map(sla -> sla.period().containing(clock.millis()));
    }

    /** {@code service}'s SLA over its current period, counted up to now; empty without an SLA. */
    public Optional<SlaResult> currentResult(String service) {
        return evaluator(service).map(evaluator -> evaluator.evaluateCurrentPeriod(clock.millis()));
    }

    /** {@code service}'s SLA over {@code period}, counted up to now if it has not ended. */
    public Optional<SlaResult> result(String service, PeriodRange period) {
        return evaluator(service).map(evaluator -> evaluator.evaluate(period, clock.millis()));
    }

    /** {@code service}'s SLA over {@code [fromEpochMillis, toEpochMillis)}, counted up to now. */
    public Optional<SlaResult> result(String service, long fromEpochMillis, long toEpochMillis) {
        return evaluator(service).map(evaluator -> evaluator.evaluate(fromEpochMillis, toEpochMillis, clock.millis()));
    }

    /** The burn rates of every objective of {@code service}'s SLA now; empty without an SLA. */
    public List<BurnRates> burnRates(String service) {
        return evaluator(service).map(evaluator -> evaluator.burnRates(clock.millis())).orElse(List.of());
    }

    /** The timeline of {@code service} as composed from its checks; empty if the catalogue has no such service. */
    public Optional<StateTimeline> serviceTimeline(String service) {
        return Optional.ofNullable(services().get(service)).map(ServiceModel::timeline);
    }

    /** The timeline of one check location, if it has reported or a service names it. */
    public Optional<StateTimeline> checkTimeline(CheckKey key) {
        return Optional.ofNullable(checks.get(key)).map(CheckRecord::timeline);
    }

    /** The check locations of {@code service} that are DOWN just before {@code nowEpochMillis}, in catalogue order. */
    public List<CheckKey> downLocations(String service, long nowEpochMillis) {
        ServiceModel model = services().get(service);
        List<CheckKey> down = new ArrayList<>();
        if (model == null) {
            return down;
        }
        for (ServiceCheck check : model.service().checks()) {
            for (String agent : check.agents()) {
                CheckKey key = new CheckKey(agent, check.check());
                if (checks.get(key).timeline().stateAt(nowEpochMillis - 1, nowEpochMillis) == TimelineState.DOWN) {
                    down.add(key);
                }
            }
        }
        return down;
    }

    /** Whether every check of {@code service} is DOWN just before {@code nowEpochMillis}. */
    public boolean wholeServiceDown(String service, long nowEpochMillis) {
        ServiceModel model = services().get(service);
        if (model == null || model.checkTimelines().isEmpty()) {
            return false;
        }
        return model.checkTimelines().stream()
                .allMatch(t -> t.stateAt(nowEpochMillis - 1, nowEpochMillis) == TimelineState.DOWN);
    }

    /** Whether any location of {@code service} is flapping at {@code nowEpochMillis}. */
    public boolean flapping(String service, long nowEpochMillis) {
        ServiceModel model = services().get(service);
        if (model == null) {
            return false;
        }
        for (ServiceCheck check : model.service().checks()) {
            for (String agent : check.agents()) {
                if (checks.get(new CheckKey(agent, check.check())).timeline().isFlapping(nowEpochMillis)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the check location {@code key} is flapping at {@code nowEpochMillis}. */
    public boolean flapping(CheckKey key, long nowEpochMillis) {
        CheckRecord record = checks.get(key);
        return record != null && record.timeline().isFlapping(nowEpochMillis);
    }

    /** Every check location that has reported, or that a service names, ordered by agent then check. */
    public Collection<CheckKey> checkKeys() {
        return new TreeMap<>(checks).keySet();
    }

    /** The figures of one check location over {@code window} ending now; empty if it is unknown. */
    public Optional<CheckWindowFigures> checkFigures(CheckKey key, TrailingWindow window) {
        CheckRecord record = checks.get(key);
        if (record == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        long from = now - window.lengthMillis();
        CheckTimeline timeline = record.timeline();
        long observedFrom = Math.max(from, Math.min(now, timeline.historyStartMillis()));
        TimelineSlice slice = timeline.slice(observedFrom, now, now);
        List<OutageRecord> outages = timeline.outages(from, now, now);
        int ended = 0;
        long endedMillis = 0;
        for (OutageRecord outage : outages) {
            if (outage.ended() && outage.endEpochMillis().getAsLong() <= now) {
                ended++;
                endedMillis += outage.durationMillis(now);
            }
        }
        LatencyView latency = record.latency().view(IntervalSet.of(from, now + 1));
        return Optional.of(new CheckWindowFigures(window, now - observedFrom, slice.down().totalMillis(),
                slice.noData().totalMillis(), outages.size(),
                ended == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) endedMillis / ended),
                latency.samples(), latency.successes(), latency.meanMicros(), latency.percentileMicros(PERCENT_50),
                latency.percentileMicros(90), latency.percentileMicros(95), latency.percentileMicros(99)));
    }

    /**
     * The latency of every location of every check of {@code service} over {@code window} ending now,
     * merged (percentiles of all their samples together, not a mean of each one's); empty if the
     * catalogue has no such service.
     */
    public Optional<LatencyView> serviceLatency(String service, TrailingWindow window) {
        ServiceModel model = services().get(service);
        if (model == null) {
            return Optional.empty();
        }
        List<CheckLatency> latencies = new ArrayList<>();
        for (ServiceCheck check : model.service().checks()) {
            for (String agent : check.agents()) {
                latencies.add(checks.get(new CheckKey(agent, check.check())).latency());
            }
        }
        long now = clock.millis();
        return Optional.of(CheckLatency.view(latencies, IntervalSet.of(now - window.lengthMillis(), now + 1)));
    }

    /** The state of one check location now: UNKNOWN if it never reported. */
    public TimelineState checkState(CheckKey key) {
        CheckRecord record = checks.get(key);
        return record == null ? TimelineState.UNKNOWN : record.timeline().currentState(clock.millis());
    }

    /**
     * Drops what no figure needs any more: state history older than {@link #STATE_HISTORY}, latency
     * older than the latency horizon (the longest SLA period in the catalogue plus a margin, at least
     * {@link #MIN_LATENCY_HORIZON}). Call it now and then, e.g. hourly.
     */
    public void forgetOld() {
        long now = clock.millis();
        long stateCut = now - STATE_HISTORY.toMillis();
        long latencyCut = now - latencyHorizon().toMillis();
        // A location forgets only back to where every service holding it still needs it: an outage of a
        // service in force at the cut may have begun earlier at one of its locations.
        Map<CheckTimeline, Long> horizons = new HashMap<>();
        for (ServiceModel model : services().values()) {
            long horizon = Math.min(stateCut, model.timeline().retentionHorizon(stateCut, now));
            for (ServiceCheck check : model.service().checks()) {
                for (String agent : check.agents()) {
                    horizons.merge(checks.get(new CheckKey(agent, check.check())).timeline(), horizon, Math::min);
                }
            }
        }
        for (CheckRecord record : checks.values()) {
            record.timeline().forgetBefore(horizons.getOrDefault(record.timeline(), stateCut), now);
            record.latency().forgetBefore(latencyCut);
        }
    }

    /** How far back latency is kept with the current catalogue. */
    public Duration latencyHorizon() {
        Duration longest = MIN_LATENCY_HORIZON;
        for (SlaDefinition sla : catalogue.slas().values()) {
            Duration needed = sla.period().nominalLength().plus(PERIOD_MARGIN);
            if (needed.compareTo(longest) > 0) {
                longest = needed;
            }
        }
        return longest;
    }

    /** The heap the check records hold, estimated, bytes: for the engine's own metrics. */
    public long retainedLatencyBytes() {
        long bytes = 0;
        for (CheckRecord record : checks.values()) {
            bytes += record.latency().retainedBytes();
        }
        return bytes;
    }

    /** How many check locations the engine keeps. */
    public int checkCount() {
        return checks.size();
    }

    @Override
    public String snapshotName() {
        return "sla";
    }

    @Override
    public int snapshotVersion() {
        return SNAPSHOT_FORMAT;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        // Sorted, so the same state always gives the same bytes.
        TreeMap<CheckKey, CheckRecord> sorted = new TreeMap<>(checks);
        out.writeInt(sorted.size());
        for (Map.Entry<CheckKey, CheckRecord> entry : sorted.entrySet()) {
            out.writeUTF(entry.getKey().agent());
            out.writeUTF(entry.getKey().check());
            entry.getValue().timeline().writeTo(out);
            entry.getValue().latency().writeTo(out);
        }
    }

    @Override
    public void readSnapshot(DataInput in) throws IOException {
        if (!checks.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty engine only");
        }
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative check count " + count);
        }
        for (int i = 0; i < count; i++) {
            CheckKey key = new CheckKey(in.readUTF(), in.readUTF());
            checks.put(key, new CheckRecord(CheckTimeline.readFrom(in), CheckLatency.readFrom(in)));
        }
        services = null;
    }

    /** An engine whose check locations all use {@code thresholds}. */
    public SlaEngine(InstantSource clock, Thresholds thresholds, Catalogue catalogue,
            Function<CheckKey, Optional<Duration>> intervals) {
        this(clock, key -> thresholds, catalogue, intervals);
        Objects.requireNonNull(thresholds, "thresholds");
    }

    private CheckRecord record(CheckKey key) {
        CheckRecord record = checks.get(key);
        if (record == null) {
            record = new CheckRecord(new CheckTimeline(thresholds.apply(key), noDataAfter(key).toMillis()),
                    new CheckLatency());
            checks.put(key, record);
        }
        return record;
    }

    /**
     * A location's no-data delay: the catalogue's {@code no_data_after} for it, else 3 × its interval
     * when known, else the default. Fixed when the location is first seen, so a replay decides alike.
     */
    private Duration noDataAfter(CheckKey key) {
        for (Service service : catalogue.services()) {
            for (ServiceCheck check : service.checks()) {
                if (check.check().equals(key.check()) && check.agents().contains(key.agent())
                        && check.noDataAfter().isPresent()) {
                    return check.noDataAfter().get();
                }
            }
        }
        return intervals.apply(key).map(interval -> interval.multipliedBy(3))
                .orElse(CheckTimeline.DEFAULT_NO_DATA_AFTER);
    }

    private Optional<SlaEvaluator> evaluator(String service) {
        ServiceModel model = services().get(service);
        return model == null ? Optional.empty() : Optional.ofNullable(model.evaluator());
    }

    private Map<String, ServiceModel> services() {
        if (services == null) {
            Map<String, ServiceModel> composed = new LinkedHashMap<>();
            for (Service service : catalogue.services()) {
                composed.put(service.name(), compose(service));
            }
            services = composed;
        }
        return services;
    }

    private ServiceModel compose(Service service) {
        List<StateTimeline> checkTimelines = new ArrayList<>();
        List<CheckLatency> latencies = new ArrayList<>();
        for (ServiceCheck check : service.checks()) {
            List<StateTimeline> locations = new ArrayList<>();
            for (String agent : check.agents()) {
                // A location that never reported gets an empty record now: NO_DATA until it does, and
                // its samples then land in the record the composition already holds.
                CheckRecord record = record(new CheckKey(agent, check.check()));
                locations.add(record.timeline());
                latencies.add(record.latency());
            }
            checkTimelines.add(new QuorumTimeline(locations, check.quorum()));
        }
        // A service without checks (yet) is NO_DATA throughout: nothing measures it.
        StateTimeline timeline = checkTimelines.isEmpty()
                ? new CheckTimeline(Thresholds.DEFAULT, CheckTimeline.DEFAULT_NO_DATA_AFTER.toMillis())
                : new ServiceTimeline(checkTimelines);
        SlaDefinition sla = service.sla().flatMap(catalogue::sla).orElse(null);
        SlaEvaluator evaluator = null;
        if (sla != null) {
            List<CheckLatency> sources = List.copyOf(latencies);
            LatencySource latency = agreed -> CheckLatency.view(sources, agreed);
            evaluator = new SlaEvaluator(service.name(), sla, catalogue.calendarOf(sla),
                    catalogue.maintenanceFor(service.name()), timeline, latency);
        }
        return new ServiceModel(service, checkTimelines, timeline, sla, evaluator);
    }

    private static TimelineState stateNow(StateTimeline timeline, long now) {
        // The state an instant ago: "now" itself is not known yet by the timelines' convention.
        return timeline.stateAt(now - 1, now);
    }

    /** A service as composed: its checks' timelines, its own, its SLA and the evaluator over them. */
    private record ServiceModel(Service service, List<StateTimeline> checkTimelines, StateTimeline timeline,
            SlaDefinition sla, SlaEvaluator evaluator) {
    }
}
