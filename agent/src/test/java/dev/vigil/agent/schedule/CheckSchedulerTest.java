package dev.vigil.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.agent.probe.Probe;
import dev.vigil.agent.probe.ProbeResult;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CheckSchedulerTest {
    /** The wall clock at the scheduler's start; every stamp follows from it and the interval. */
    private static final InstantSource START = InstantSource.fixed(Instant.ofEpochMilli(1_700_000_000_123L));

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Recorder recorder = new Recorder();
    private CheckScheduler scheduler;

    @AfterEach
    void stop() {
        if (scheduler != null) {
            scheduler.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void stampsEveryRunWithItsScheduledSlotOnTheCheckGrid() {
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("a", Duration.ofMillis(100), new InstantProbe()),
                new ScheduledCheck("b", Duration.ofMillis(150), new InstantProbe())),
                group, START, System::nanoTime, recorder);
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("a").size() >= 5
                && recorder.samplesOf("b").size() >= 5);

        assertOnGrid(recorder.samplesOf("a"), new CheckSchedule("a", 100));
        assertOnGrid(recorder.samplesOf("b"), new CheckSchedule("b", 150));
    }

    private static void assertOnGrid(List<Sample> samples, CheckSchedule schedule) {
        long first = schedule.slotAtOrAfter(START.millis());
        for (int i = 0; i < 5; i++) {
            Sample sample = samples.get(i);
            assertThat(sample.scheduledEpochMillis()).isEqualTo(first + i * schedule.intervalMillis());
            assertThat(sample.startLagNanos()).isGreaterThanOrEqualTo(0);
            assertThat(sample.outcome()).isEqualTo(Outcome.OK);
        }
    }

    @Test
    void skipsAndCountsRunsWhileThePreviousOneIsStillInFlight() throws Exception {
        HeldProbe held = new HeldProbe();
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("slow", Duration.ofMillis(100), held)),
                group, START, System::nanoTime, recorder);
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.skipped("slow") >= 3);
        assertThat(held.started.get()).isEqualTo(1);
        long firstSlot = new CheckSchedule("slow", 100).slotAtOrAfter(START.millis());
        List<Sample> skippedSamples = recorder.samplesOf("slow");
        assertThat(skippedSamples).hasSizeGreaterThanOrEqualTo(3).allSatisfy(sample -> {
            assertThat(sample.outcome()).isEqualTo(Outcome.SKIPPED);
            assertThat(sample.detail()).isEqualTo("run skipped: the previous run was still in progress");
        });
        assertThat(skippedSamples.get(0).scheduledEpochMillis()).isEqualTo(firstSlot + 100);

        held.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("slow").stream()
                .anyMatch(sample -> sample.outcome() == Outcome.OK));
        assertThat(recorder.samplesOf("slow").stream().filter(sample -> sample.outcome() == Outcome.OK)
                .findFirst().orElseThrow().scheduledEpochMillis()).isEqualTo(firstSlot);
        scheduler.stop();
        held.release();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void recordsAProbeThatThrowsAsAnAgentErrorSample() {
        Probe broken = loop -> {
            throw new IllegalStateException("bug in a probe");
        };
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("broken", Duration.ofMillis(100), broken)),
                group, START, System::nanoTime, recorder);
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> !recorder.samplesOf("broken").isEmpty());
        Sample sample = recorder.samplesOf("broken").get(0);
        assertThat(sample.outcome()).isEqualTo(Outcome.AGENT_ERROR);
        assertThat(sample.detail()).contains("bug in a probe");
    }

    @Test
    void sendsTheEvidenceOfAFailureThatRepeatsOncePerEvidenceInterval() {
        Evidence seen = Evidence.bounded("127.0.0.1:5432", "", List.of(), "", false, List.of(), List.of(),
                "connection refused");
        Probe refused = loop -> CompletableFuture.completedFuture(new ProbeResult(Outcome.CONNECT_REFUSED,
                Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 1_000, 0,
                "connection refused", List.of(), Optional.of(seen)));
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("db", Duration.ofMillis(100), refused)),
                group, START, System::nanoTime, recorder, Duration.ofMillis(500));
        scheduler.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.samplesOf("db").stream()
                .filter(sample -> sample.evidence().isPresent()).count() >= 3);
        List<Sample> samples = recorder.samplesOf("db").stream()
                .filter(sample -> sample.outcome() == Outcome.CONNECT_REFUSED).toList();
        assertThat(samples.get(0).evidence()).as("the first failure").contains(seen);
        long lastSent = samples.get(0).scheduledEpochMillis();
        for (Sample sample : samples.subList(1, samples.size())) {
            boolean due = sample.scheduledEpochMillis() - lastSent >= 500;
            assertThat(sample.evidence().isPresent()).as("sample at %d, last evidence at %d",
                    sample.scheduledEpochMillis(), lastSent).isEqualTo(due);
            if (due) {
                lastSent = sample.scheduledEpochMillis();
            }
        }
    }

    @Test
    void addsAndRemovesChecksWhileRunningWithoutDisturbingTheOthers() {
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("a", Duration.ofMillis(100), new InstantProbe())),
                group, START, System::nanoTime, recorder);
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("a").size() >= 3);

        scheduler.schedule(new ScheduledCheck("b", Duration.ofMillis(100), new InstantProbe()));
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("b").size() >= 3);
        assertThat(scheduler.unschedule("b")).isTrue();
        int bAtRemoval = recorder.samplesOf("b").size();
        int aAtRemoval = recorder.samplesOf("a").size();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("a").size() >= aAtRemoval + 5);

        assertThat(recorder.samplesOf("b").size()).as("at most the run in flight at removal").isLessThanOrEqualTo(
                bAtRemoval + 1);
        assertThat(scheduler.checks()).containsOnlyKeys("a");
        assertContiguous(recorder.samplesOf("a"), 100);
        assertContiguous(recorder.samplesOf("b"), 100);
        CheckSchedule b = new CheckSchedule("b", 100);
        assertThat(recorder.samplesOf("b").get(0).scheduledEpochMillis()).as("on b's own phase")
                .isEqualTo(b.slotAtOrAfter(recorder.samplesOf("b").get(0).scheduledEpochMillis()));
        assertThat(scheduler.unschedule("b")).isFalse();
    }

    @Test
    void aReplacedCheckRunsOnItsNewIntervalFromItsNextSlotWithoutRepeatingOne() {
        scheduler = new CheckScheduler(List.of(new ScheduledCheck("a", Duration.ofMillis(100), new InstantProbe())),
                group, START, System::nanoTime, recorder);
        scheduler.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("a").size() >= 3);

        ScheduledCheck slower = new ScheduledCheck("a", Duration.ofMillis(250), new InstantProbe());
        scheduler.schedule(slower);
        int before = recorder.samplesOf("a").size();
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.samplesOf("a").size() >= before + 4);

        List<Sample> samples = recorder.samplesOf("a");
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).scheduledEpochMillis()).isGreaterThan(samples.get(i - 1).scheduledEpochMillis());
        }
        List<Sample> last = samples.subList(samples.size() - 3, samples.size());
        assertContiguous(last, 250);
        assertThat(scheduler.checks().get("a")).isSameAs(slower);
    }

    private static void assertContiguous(List<Sample> samples, long intervalMillis) {
        for (int i = 1; i < samples.size(); i++) {
            assertThat(samples.get(i).outcome()).isEqualTo(Outcome.OK);
            assertThat(samples.get(i).scheduledEpochMillis() - samples.get(i - 1).scheduledEpochMillis())
                    .as("slot %d follows slot %d", i, i - 1).isEqualTo(intervalMillis);
        }
    }

    /** Completes every run at once with OK, on the run's loop. */
    private static final class InstantProbe implements Probe {
        @Override
        public CompletionStage<ProbeResult> run(EventLoop loop) {
            return CompletableFuture.completedFuture(new ProbeResult(Outcome.OK, -1, 1_000, -1, -1, 2_000, 0, ""));
        }
    }

    /** Holds each run open until {@link #release()}, which completes it on its loop. */
    private static final class HeldProbe implements Probe {
        final AtomicInteger started = new AtomicInteger();
        private final List<CompletableFuture<ProbeResult>> pending = new CopyOnWriteArrayList<>();
        private volatile EventLoop loop;

        @Override
        public CompletionStage<ProbeResult> run(EventLoop runLoop) {
            started.incrementAndGet();
            loop = runLoop;
            CompletableFuture<ProbeResult> result = new CompletableFuture<>();
            pending.add(result);
            return result;
        }

        void release() {
            for (CompletableFuture<ProbeResult> result : pending) {
                pending.remove(result);
                loop.execute(() -> result.complete(new ProbeResult(Outcome.OK, -1, -1, -1, -1, 1, 0, "")));
            }
        }
    }

    private static final class Recorder implements ScheduleListener {
        final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> skips = new ConcurrentHashMap<>();

        @Override
        public void sampleTaken(Sample sample) {
            samples.add(sample);
        }

        @Override
        public void runsSkipped(String checkId, int count) {
            skips.computeIfAbsent(checkId, id -> new AtomicInteger()).addAndGet(count);
        }

        List<Sample> samplesOf(String checkId) {
            return samples.stream().filter(sample -> sample.checkId().equals(checkId)).toList();
        }

        int skipped(String checkId) {
            AtomicInteger count = skips.get(checkId);
            return count == null ? 0 : count.get();
        }
    }
}
