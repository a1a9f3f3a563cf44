package dev.vigil.collector.heartbeat;

import dev.vigil.collector.config.HeartbeatConfig;
import dev.vigil.collector.ingest.ExternalSamples;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.config.DurationText;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the heartbeat checks: records each reported heartbeat as a sample, and when a check's
 * deadline passes without one, records a missed deadline, one per period while the check stays silent.
 * Every sample goes through the collector's journal ({@link ExternalSamples}), so outages open and close
 * through the check's state machine and a replay rebuilds them without this class doing anything.
 *
 * <p>The next deadline is a function of the check's last applied sample on the {@link CheckBoard}
 * only (rebuilt by the replay, or restored from a snapshot): after a reported heartbeat at {@code t}
 * it is {@code t + period + grace}; after a missed deadline ({@link #MISSED}) at {@code d} it is
 * {@code d + period}. A restarted collector therefore finds the same deadlines in its
 * replayed journal, makes no second sample for a deadline it already recorded, and catches up at once
 * on every deadline that passed while it was down (those older than {@link CheckBoard#MAX_AGE} cannot
 * be recorded and are skipped). A missed deadline is stamped at the deadline itself; its receive time
 * is when the collector noticed. A check that never reported has no deadline yet.
 *
 * <p>Runs on the collector verticle's event loop: a timer every {@value #TICK_MILLIS} ms compares
 * the injected clock with the deadlines, so a deadline is noticed at most that late.
 */
public final class HeartbeatWatch {
    /** One missed deadline makes a heartbeat check DOWN, one heartbeat makes it UP again. */
    public static final Thresholds THRESHOLDS = new Thresholds(1, 1);
    /** The outcome of a missed deadline; a reported heartbeat is {@code OK} or {@code ASSERTION_FAILED}. */
    static final Outcome MISSED = Outcome.TIMEOUT;
    /** How often the deadlines are compared with the clock, in milliseconds. */
    static final long TICK_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatWatch.class);

    /** What became of one reported heartbeat. */
    record Beat(long scheduledEpochMillis, ExternalSamples.Verdict verdict, OptionalLong deadlineEpochMillis) {
    }

    private final Map<String, HeartbeatConfig> byId = new LinkedHashMap<>();
    private final CheckBoard board;
    private final ExternalSamples samples;
    private final InstantSource clock;
    private final HeartbeatCounters counters;

    /**
     * A watch over {@code heartbeats}.
     *
     * @param board   the checks, whose last samples say when each heartbeat is due
     * @param samples journals and applies the heartbeat samples
     * @param clock   the collector's clock: receive times and deadlines
     */
    public HeartbeatWatch(List<HeartbeatConfig> heartbeats, CheckBoard board, ExternalSamples samples,
            InstantSource clock, HeartbeatCounters counters) {
        for (HeartbeatConfig heartbeat : heartbeats) {
            byId.put(heartbeat.id(), heartbeat);
        }
        this.board = Objects.requireNonNull(board, "board");
        this.samples = Objects.requireNonNull(samples, "samples");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /** The hysteresis of each check: {@link #THRESHOLDS} for heartbeat checks, {@code others} for the rest. */
    public static Function<CheckKey, Thresholds> thresholds(Thresholds others) {
        Objects.requireNonNull(others, "others");
        return key -> key.agent().equals(HeartbeatConfig.AGENT) ? THRESHOLDS : others;
    }

    /**
     * Catches up on the deadlines that passed while the collector was down, then checks them every
     * {@value #TICK_MILLIS} ms. Call on the collector verticle's event loop once the replay has finished.
     */
    public void start(Vertx vertx) {
        if (byId.isEmpty()) {
            return;
        }
        tick();
        vertx.setPeriodic(TICK_MILLIS, timer -> tick());
    }

    private void tick() {
        long now = clock.millis();
        for (HeartbeatConfig heartbeat : byId.values()) {
            try {
                catchUp(heartbeat, now);
            } catch (RuntimeException e) {
                // The next tick tries again; a journal failure must not stop the watch over the other checks.
                LOG.error("Cannot record the missed deadlines of heartbeat {}", heartbeat.id(), e);
            }
        }
    }

    /** The heartbeat with {@code id}, if configured. */
    Optional<HeartbeatConfig> heartbeat(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The configured heartbeats, in configuration order. */
    List<HeartbeatConfig> heartbeats() {
        return List.copyOf(byId.values());
    }

    /**
     * Records a heartbeat of {@code heartbeat} received now: first every deadline that passed before it,
     * then the heartbeat itself, stamped with the collector's clock (one millisecond after the check's
     * last sample should the clock not have moved on).
     *
     * @param success whether the job reported success ({@code OK}) or failure ({@code ASSERTION_FAILED})
     * @param detail  what the job said, at most {@link Sample#MAX_DETAIL_BYTES} bytes of UTF-8
     */
    Beat beat(HeartbeatConfig heartbeat, boolean success, String detail) {
        long now = clock.millis();
        catchUp(heartbeat, now);
        long at = last(heartbeat).map(last -> Math.max(now, last.scheduledEpochMillis() + 1)).orElse(now);
        Sample sample = new Sample(heartbeat.id(), at, 0, success ? Outcome.OK : Outcome.ASSERTION_FAILED,
                Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 0, 0, detail);
        ExternalSamples.Verdict verdict = samples.offer(HeartbeatConfig.AGENT, sample, now);
        if (verdict == ExternalSamples.Verdict.ACCEPTED) {
            counters.received(heartbeat.id(), success);
        }
        return new Beat(at, verdict, deadline(heartbeat));
    }

    /** When {@code heartbeat} is next due, in epoch milliseconds; empty before its first heartbeat. */
    OptionalLong deadline(HeartbeatConfig heartbeat) {
        return last(heartbeat)
                .map(last -> OptionalLong.of(last.scheduledEpochMillis() + (last.outcome() == MISSED
                        ? heartbeat.period().toMillis() : heartbeat.deadline().toMillis())))
                .orElse(OptionalLong.empty());
    }

    /** The last sample applied to {@code heartbeat}'s check, if it has reported. */
    private Optional<Sample> last(HeartbeatConfig heartbeat) {
        return board.check(new CheckKey(HeartbeatConfig.AGENT, heartbeat.id())).map(CheckStatus::lastSample);
    }

    /** Records every deadline of {@code heartbeat} before {@code now}; a heartbeat exactly at it is in time. */
    private void catchUp(HeartbeatConfig heartbeat, long now) {
        OptionalLong first = deadline(heartbeat);
        if (first.isEmpty()) {
            return;
        }
        long period = heartbeat.period().toMillis();
        long oldest = now - CheckBoard.MAX_AGE.toMillis();
        long deadline = first.getAsLong();
        // Logged once per silence, not once per period.
        boolean silent = last(heartbeat).orElseThrow().outcome() == MISSED;
        if (deadline < oldest) {
            long skipped = (oldest - deadline + period - 1) / period;
            LOG.warn("Heartbeat {} missed {} deadlines from {} that are older than {} days and cannot be recorded",
                    heartbeat.id(), skipped, Instant.ofEpochMilli(deadline), CheckBoard.MAX_AGE.toDays());
            deadline += skipped * period;
        }
        while (deadline < now) {
            Sample missed = new Sample(heartbeat.id(), deadline, 0, MISSED, Sample.NOT_MEASURED,
                    Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 0, 0, missedDetail(heartbeat));
            ExternalSamples.Verdict verdict = samples.offer(HeartbeatConfig.AGENT, missed, now);
            if (verdict != ExternalSamples.Verdict.ACCEPTED) {
                // Only a clock stepped back below the check's last sample gets here; the next tick retries.
                LOG.warn("Missed deadline {} of heartbeat {} not recorded: {}", Instant.ofEpochMilli(deadline),
                        heartbeat.id(), verdict.label());
                return;
            }
            counters.missed(heartbeat.id());
            if (!silent) {
                silent = true;
                LOG.warn("Heartbeat {} missed its deadline {}: {}", heartbeat.id(), Instant.ofEpochMilli(deadline),
                        missed.detail());
            }
            deadline += period;
        }
    }

    /**
     * The detail of the next missed deadline: since which report the job is silent. A later miss copies
     * the first one's, so the board's last sample is all it needs, after a restart as before.
     */
    private String missedDetail(HeartbeatConfig heartbeat) {
        Sample last = last(heartbeat).orElseThrow();
        if (last.outcome() == MISSED) {
            return last.detail();
        }
        return "no heartbeat since " + Instant.ofEpochMilli(last.scheduledEpochMillis()) + " (period "
                + DurationText.format(heartbeat.period()) + ", grace " + DurationText.format(heartbeat.grace()) + ")";
    }
}
