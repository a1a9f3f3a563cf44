package dev.vigil.benchmarks.probes;

import dev.vigil.agent.schedule.CheckSchedule;
import dev.vigil.protocol.Sample;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Goal 3: how late the agent starts its runs with many checks, and whether every scheduled stamp
 * sits exactly on its slot. From each sample of the window: {@code startLagNanos} (how late the run
 * started) and {@code scheduledEpochMillis}, which must equal {@code k × interval + offset(check id)}
 * exactly; a slot without a sample was skipped.
 *
 * @param run       the run the figures come from
 * @param lateness  {@code startLagNanos} of the window's samples
 * @param samples   samples scheduled in the window
 * @param expected  slots in the window (checks × intervals)
 * @param offSlot   samples whose stamp is not on one of their check's slots
 * @param failures  samples that are not OK
 */
record SchedulePhase(ManyChecksRun.Result run, Distribution lateness, int samples, long expected, long offSlot,
        long failures) {

    static SchedulePhase of(ManyChecksRun.Result run) {
        long intervalMillis = run.interval().toMillis();
        Map<String, Long> offsets = new HashMap<>();
        List<Sample> window = run.windowSamples();
        long[] lags = new long[window.size()];
        long offSlot = 0;
        long failures = 0;
        for (int i = 0; i < window.size(); i++) {
            Sample sample = window.get(i);
            lags[i] = sample.startLagNanos();
            long offset = offsets.computeIfAbsent(sample.checkId(),
                    id -> new CheckSchedule(id, intervalMillis).offsetMillis());
            if (Math.floorMod(sample.scheduledEpochMillis() - offset, intervalMillis) != 0) {
                offSlot++;
            }
            if (!sample.success()) {
                failures++;
            }
        }
        long windowMillis = run.endEpochMillis() - run.startEpochMillis();
        long expected = 0;
        for (int i = 0; i < run.checks(); i++) {
            CheckSchedule schedule = new CheckSchedule(ManyChecksRun.checkId(i), intervalMillis);
            expected += (schedule.slotAtOrAfter(run.startEpochMillis() + windowMillis)
                    - schedule.slotAtOrAfter(run.startEpochMillis())) / intervalMillis;
        }
        return new SchedulePhase(run, Distribution.of(lags), window.size(), expected, offSlot, failures);
    }

    /** Slots in the window without a sample: runs skipped or lost. */
    long missing() {
        return expected - samples;
    }
}
