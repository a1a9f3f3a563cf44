package dev.vigil.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.agent.config.JournalSettings;
import dev.vigil.agent.journal.AckedPosition;
import dev.vigil.agent.journal.GapLog;
import dev.vigil.agent.journal.InstanceId;
import dev.vigil.agent.journal.LossReason;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.ingest.FakeIngestServer;
import dev.vigil.testsupport.target.ClosedPort;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ShipperTest {
    private static final String TOKEN = "agent-token";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Backoff FAST = new Backoff(Duration.ofMillis(20), Duration.ofMillis(200));

    @TempDir
    Path dataDir;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Counting listener = new Counting();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Logger shipperLog = (Logger) LoggerFactory.getLogger(Shipper.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private SampleJournal journal;

    @BeforeEach
    void openJournal() {
        journal = SampleJournal.open(dataDir.resolve("journal"));
        log.start();
        shipperLog.addAppender(log);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        journal.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        shipperLog.detachAppender(log);
    }

    private List<String> errors() {
        return logged(Level.ERROR);
    }

    private List<String> logged(Level level) {
        synchronized (log.list) {
            return log.list.stream()
                    .filter(event -> event.getLevel() == level)
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    /** Closes the journal and deletes its files, as an operator wiping the agent's journal does. */
    private void wipeJournal() throws Exception {
        journal.close();
        try (Stream<Path> files = Files.walk(dataDir.resolve("journal"))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        journal = SampleJournal.open(dataDir.resolve("journal"));
    }

    private FakeIngestServer ingest(FakeIngestServer server) {
        toClose.add(server);
        return server;
    }

    private Shipper shipper(FakeIngestServer ingest, int batchSize) {
        return shipper(ingest.url(), TOKEN, batchSize);
    }

    private Shipper shipper(URI collector, String token, int batchSize) {
        ShipperSettings settings = new ShipperSettings(URI.create(collector + FakeIngestServer.PATH), token, batchSize,
                Duration.ofSeconds(2), FAST);
        Shipper shipper = new Shipper(journal, dataDir.resolve("journal-acked"), settings, group, listener);
        toClose.add(shipper);
        return shipper;
    }

    private static Sample sample(long scheduledEpochMillis) {
        return new Sample("web", scheduledEpochMillis, 0, Outcome.OK, -1, 500_000, -1, 900_000, 1_500_000, 200, "");
    }

    private List<Long> append(int count) {
        List<Long> indexes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indexes.add(journal.append(sample(1_700_000_000_000L + i * 1_000L)));
        }
        return indexes;
    }

    @Test
    void shipsEveryJournaledSampleExactlyOnceInIndexOrder() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(1_234);
        Shipper shipper = shipper(ingest.url(), TOKEN, 100);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(indexes.size() - 1));

        assertThat(ingest.received()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
        assertThat(ingest.duplicates()).isZero();
        assertThat(ingest.requests()).as("a backlog drains in large batches").isEqualTo(1);
        assertThat(ingest.epochs()).containsExactly(journal.epoch());
        assertThat(ingest.instances()).containsExactly(InstanceId.loadOrCreate(dataDir));
        assertThat(listener.acked.get()).isEqualTo(1_234);
        assertThat(Files.readString(dataDir.resolve("journal-acked")).trim())
                .isEqualTo(journal.epoch() + " " + indexes.get(indexes.size() - 1));
        await().atMost(DEADLINE).until(() -> shipper.backlog() == 0 && listener.backlog.get() == 0);
    }

    @Test
    void shipsSamplesJournaledWhileItRuns() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        Shipper shipper = shipper(ingest.url(), TOKEN, 500);
        shipper.start();
        List<Long> indexes = append(5);
        shipper.wakeUp();

        await().atMost(DEADLINE).until(() -> ingest.held().size() == 5);
        List<Long> more = append(7);
        shipper.wakeUp();

        await().atMost(DEADLINE).until(() -> ingest.held().size() == 12);
        assertThat(ingest.received()).extracting(SampleRecord::journalIndex)
                .containsSequence(indexes).containsSequence(more).hasSize(12);
    }

    @Test
    void keepsEverythingThroughServiceUnavailableAndDroppedConnections() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        ingest.failNext(3, 503);
        ingest.dropNext(2);
        List<Long> indexes = append(50);
        Shipper shipper = shipper(ingest.url(), TOKEN, 500);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(49));

        assertThat(listener.failures.get()).isGreaterThanOrEqualTo(5);
        assertThat(ingest.received()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
    }

    @Test
    void retriesWhileTheCollectorRefusesConnectionsAndShipsOnceItIsUp() {
        int port = ClosedPort.find();
        List<Long> indexes = append(20);
        Shipper shipper = shipper(URI.create("http://127.0.0.1:" + port), TOKEN, 500);
        shipper.start();
        await().atMost(DEADLINE).until(() -> listener.failures.get() >= 2);
        assertThat(shipper.ackedIndex()).isEqualTo(-1);
        assertThat(shipper.backlog()).isEqualTo(20);

        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN, port));

        await().atMost(DEADLINE).until(() -> ingest.held().size() == 20);
        assertThat(ingest.received()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
    }

    @Test
    void resumesAfterARestartWithoutResendingAcknowledgedSamples() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> first = append(30);
        Shipper before = shipper(ingest.url(), TOKEN, 7);
        before.start();
        await().atMost(DEADLINE).until(() -> before.ackedIndex() == first.get(29));
        before.close();

        List<Long> second = append(20);
        Shipper after = shipper(ingest.url(), TOKEN, 7);
        after.start();

        await().atMost(DEADLINE).until(() -> after.ackedIndex() == second.get(19));
        assertThat(ingest.received()).hasSize(50);
        assertThat(ingest.duplicates()).isZero();
    }

    @Test
    void keepsSamplesWhileTheTokenIsRejected() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        append(5);
        Shipper shipper = shipper(ingest.url(), "wrong-token", 500);
        shipper.start();

        await().atMost(DEADLINE).until(() -> ingest.unauthorized() >= 2);
        assertThat(ingest.held()).isEmpty();
        assertThat(shipper.ackedIndex()).isEqualTo(-1);
        assertThat(listener.lastFailure).hasValueMatching(reason -> reason.contains("401"));
    }

    @Test
    void keepsShippingAfterAnUnexpectedErrorAndCountsItAsAFailure() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(25);
        listener.backlogFailures.set(2);
        Shipper shipper = shipper(ingest.url(), TOKEN, 10);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(24));

        assertThat(shipper.running()).isTrue();
        assertThat(listener.failures.get()).isEqualTo(2);
        assertThat(listener.lastFailure).hasValueMatching(reason -> reason.contains("listener broke"));
        assertThat(errors()).anyMatch(message -> message.startsWith("Shipping hit an unexpected error"));
        assertThat(ingest.received()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
    }

    @Test
    void isNotRunningBeforeStartOrAfterClose() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        Shipper shipper = shipper(ingest.url(), TOKEN, 10);
        assertThat(shipper.running()).isFalse();
        shipper.start();
        assertThat(shipper.running()).isTrue();
        shipper.close();
        assertThat(shipper.running()).isFalse();
    }

    @Test
    void shipsAWipedJournalUnderANewEpochSoTheCollectorKeepsEverySample() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        long firstEpoch = journal.epoch();
        shipEverythingAndStop(ingest, 30);
        wipeJournal();

        List<Long> after = append(12);
        Shipper second = shipper(ingest, 5);
        second.start();

        await().atMost(DEADLINE).until(() -> second.ackedIndex() == after.get(11));
        assertThat(journal.epoch()).isGreaterThan(firstEpoch);
        assertThat(ingest.held(firstEpoch)).hasSize(30);
        assertThat(ingest.held(journal.epoch())).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(after);
        assertThat(errors()).isEmpty();
        assertThat(logged(Level.INFO)).anyMatch(message -> message.contains("is a new epoch"));
    }

    @Test
    void resendsAfterALostAckWithoutTheCollectorCountingAnythingTwice() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = shipEverythingAndStop(ingest, 10);
        Files.delete(dataDir.resolve("journal-acked"));

        Shipper again = shipper(ingest, 50);
        again.start();

        await().atMost(DEADLINE).until(() -> again.ackedIndex() == indexes.get(9));
        assertThat(ingest.held()).hasSize(10);
        assertThat(ingest.duplicates()).isEqualTo(10);
        assertThat(errors()).isEmpty();
    }

    @Test
    void continuesFromTheFirstIndexWhenTheAcknowledgedOneIsBelowIt() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(10);
        new AckedPosition(dataDir.resolve("journal-acked")).store(journal.epoch(), indexes.get(0) - 1);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(9));
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
        assertThat(errors()).isEmpty();
    }

    @Test
    void startsANewEpochAfterTheLastIndexWhenTheAcknowledgedIndexIsBeyondTheJournal() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(10);
        long oldEpoch = journal.epoch();
        new AckedPosition(dataDir.resolve("journal-acked")).store(oldEpoch, indexes.get(9) + 1_000);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();
        List<Long> more = append(3);
        shipper.wakeUp();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == more.get(2));
        assertThat(journal.epoch()).isGreaterThan(oldEpoch);
        assertThat(Files.readString(dataDir.resolve("journal/epoch")).trim()).isEqualTo(Long.toString(journal.epoch()));
        assertThat(ingest.epochs()).containsExactly(journal.epoch());
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(more);
        assertThat(errors()).singleElement().asString()
                .contains("acknowledged index " + (indexes.get(9) + 1_000) + " of epoch " + oldEpoch)
                .contains("is not in the journal")
                .contains("new epoch " + journal.epoch());
    }

    @Test
    void shipsTheWholeJournalWhenTheAcknowledgedPositionIsOfAnotherEpoch() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(10);
        new AckedPosition(dataDir.resolve("journal-acked")).store(journal.epoch() - 1, indexes.get(5));

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(9));
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
    }

    @Test
    void countsRejectedSamplesAsSettledAndDoesNotSendThemAgain() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(20);
        ingest.reject(indexes.get(4), RejectionReason.FUTURE);
        ingest.reject(indexes.get(19), RejectionReason.INVALID);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(19));
        assertThat(ingest.requests()).isEqualTo(1);
        assertThat(ingest.held()).hasSize(18);
        assertThat(listener.rejected).containsEntry(RejectionReason.FUTURE, 1).containsEntry(RejectionReason.INVALID, 1);
        assertThat(errors()).anyMatch(message -> message.contains("refused journal index " + indexes.get(4))
                && message.contains("future") && message.contains("scripted rejection"));
    }

    @Test
    void bisectsAMalformedBatchDownToTheOneSampleAndGivesItUpAsAGap() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(100);
        long bad = indexes.get(37);
        ingest.refuseAsMalformed(bad);

        Shipper shipper = shipper(ingest, 100);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(99) && ingest.gaps().size() == 1);
        assertThat(ingest.held()).hasSize(99).extracting(SampleRecord::journalIndex).doesNotContain(bad);
        Gap gap = ingest.gaps().get(0);
        assertThat(gap.reason()).isEqualTo(GapReason.MALFORMED);
        assertThat(gap.firstIndex()).isEqualTo(bad);
        assertThat(gap.lastIndex()).isEqualTo(bad);
        assertThat(gap.samples()).isEqualTo(1);
        assertThat(gap.firstScheduledMillis()).isEqualTo(1_700_000_000_000L + 37 * 1_000L);
        assertThat(listener.lost).containsEntry(LossReason.MALFORMED, 1L);
        assertThat(ingest.batchSizes()).as("halving down to one sample").contains(100, 50, 25, 12, 6, 3, 1);
        await().atMost(DEADLINE).until(() -> GapLog.read(dataDir).pending().isEmpty());
        assertThat(errors()).anyMatch(message -> message.contains("refuses journal index " + bad + " (check web"));
    }

    @Test
    void halvesTheBatchOnTooLargeWithoutLosingASample() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        ingest.limitRecords(30);
        List<Long> indexes = append(100);

        Shipper shipper = shipper(ingest, 100);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(99));
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
        assertThat(ingest.batchSizes()).startsWith(100, 50, 25);
        assertThat(ingest.gaps()).isEmpty();
        assertThat(errors()).isEmpty();
    }

    @Test
    void waitsAsLongAsRetryAfterSaysWithoutLoggingAnError() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        ingest.failNext(1, 429, Duration.ofSeconds(2));
        List<Long> indexes = append(5);
        long started = System.nanoTime();

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(4));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the FAST backoff alone would retry in 20 ms")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
        assertThat(ingest.requests()).isEqualTo(2);
        assertThat(errors()).isEmpty();
        assertThat(logged(Level.WARN)).isEmpty();
    }

    @Test
    void keepsEverythingAndAsksForAnUpgradeWhenTheCollectorCannotProcessTheBatchYet() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        ingest.failNext(2, 422);
        List<Long> indexes = append(10);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(9));
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
        assertThat(ingest.gaps()).isEmpty();
        assertThat(errors()).singleElement().asString().contains("422").contains("upgrade the collector");
    }

    @Test
    void compressesLargeBodiesWithGzipAndLeavesSmallOnesAlone() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> one = append(1);
        Shipper shipper = shipper(ingest, 500);
        shipper.start();
        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == one.get(0));
        assertThat(ingest.gzipped()).isZero();

        List<Long> many = append(500);
        shipper.wakeUp();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == many.get(499));
        assertThat(ingest.gzipped()).isEqualTo(1);
        assertThat(ingest.held()).hasSize(501);
    }

    @Test
    void sendsUncompressedOnceTheCollectorCannotReadGzip() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        ingest.ignoreContentEncoding();
        List<Long> indexes = append(500);

        Shipper shipper = shipper(ingest, 500);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(499));
        assertThat(ingest.requests()).as("one refused gzip body, then the same batch plain").isEqualTo(2);
        assertThat(ingest.held()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
        assertThat(ingest.gaps()).isEmpty();
        assertThat(logged(Level.WARN)).singleElement().asString().contains("sending uncompressed from now on");
    }

    @Test
    void resendsPendingGapsUntilTheCollectorAcknowledgesThem() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        journal.gaps().record(GapReason.DISK_BUDGET, 40, 3, 42, 1_000, 40_000);
        ingest.dropNext(1);
        ingest.failNext(1, 503);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> GapLog.read(dataDir).pending().isEmpty());
        assertThat(ingest.gaps()).containsExactly(new Gap(0, GapReason.DISK_BUDGET, 40, 3, 42, 1_000, 40_000));
        assertThat(ingest.requests()).isEqualTo(3);
        journal.gaps().notJournaled(2, 50_000, 51_000);
        shipper.wakeUp();
        await().atMost(DEADLINE).until(() -> ingest.gaps().size() == 2);
        assertThat(ingest.gaps().get(1)).isEqualTo(new Gap(1, GapReason.NOT_JOURNALED, 2, -1, -1, 50_000, 51_000));
    }

    @Test
    void turnsAnUnreadableExcerptIntoAGapAndShipsTheRest() {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> before = append(3);
        journal.close();
        long garbage;
        try (SingleChronicleQueue raw = SingleChronicleQueueBuilder.binary(dataDir.resolve("journal").toFile()).build();
                ExcerptAppender appender = raw.createAppender()) {
            try (DocumentContext document = appender.writingDocument()) {
                document.wire().bytes().write(new byte[] {(byte) 0xFF, 0x01, 0x02});
            }
            garbage = appender.lastIndexAppended();
        }
        journal = SampleJournal.open(dataDir.resolve("journal"));
        List<Long> after = append(3);

        Shipper shipper = shipper(ingest, 50);
        shipper.start();

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == after.get(2) && ingest.gaps().size() == 1);
        assertThat(ingest.held()).hasSize(6).extracting(SampleRecord::journalIndex).doesNotContain(garbage)
                .containsAll(before).containsAll(after);
        assertThat(ingest.gaps().get(0)).isEqualTo(new Gap(0, GapReason.UNREADABLE, 1, garbage, garbage, -1, -1));
        assertThat(listener.lost).containsEntry(LossReason.UNREADABLE, 1L);
        assertThat(errors()).anyMatch(message -> message.contains("Journal entry " + garbage)
                && message.contains("not a sample"));
    }

    @Test
    void neverSendsASampleThatTheDiskBudgetAlreadyRecordedAsAGap() throws Exception {
        journal.close();
        SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1_000_000L);
        journal = SampleJournal.open(dataDir.resolve("journal"), JournalSettings.DEFAULT.withMaxBytes(1 << 20), clock);
        int port = ClosedPort.find();
        Shipper shipper = shipper(URI.create("http://127.0.0.1:" + port), TOKEN, 5);
        shipper.start();
        int appended = 0;
        for (int hour = 0; hour < 8; hour++) {
            for (int i = 0; i < 20; i++) {
                journal.append(sample(1_700_000_000_000L + appended++));
            }
            clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
        }
        long last = journal.append(sample(1_700_000_000_000L + appended++));
        assertThat(GapLog.read(dataDir).pending()).as("the budget dropped cycles").isNotEmpty();

        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN, port));

        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == last && GapLog.read(dataDir).pending().isEmpty());
        Set<Long> held = new HashSet<>();
        for (SampleRecord record : ingest.held()) {
            held.add(record.journalIndex());
        }
        long gapped = 0;
        for (Gap gap : ingest.gaps()) {
            assertThat(gap.reason()).isEqualTo(GapReason.DISK_BUDGET);
            gapped += gap.samples();
            for (long index = gap.firstIndex(); index <= gap.lastIndex(); index++) {
                assertThat(held).as("index %d is both held and in a gap", index).doesNotContain(index);
            }
        }
        assertThat(held.size() + gapped).as("every sample is held or in a gap, once").isEqualTo(appended);
    }

    /** Appends {@code count} samples, ships them all to {@code ingest}, and stops that shipper. */
    private List<Long> shipEverythingAndStop(FakeIngestServer ingest, int count) throws Exception {
        List<Long> indexes = append(count);
        Shipper shipper = shipper(ingest, 50);
        shipper.start();
        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(count - 1));
        shipper.close();
        return indexes;
    }

    private static final class Counting implements ShipListener {
        final AtomicInteger acked = new AtomicInteger();
        final Map<RejectionReason, Integer> rejected = new EnumMap<>(RejectionReason.class);
        final Map<LossReason, Long> lost = new EnumMap<>(LossReason.class);
        final AtomicInteger backlogFailures = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicLong backlog = new AtomicLong(-1);
        final AtomicReference<String> lastFailure = new AtomicReference<>();

        @Override
        public void acked(int samples, long ackedIndex) {
            acked.addAndGet(samples);
        }

        @Override
        public void shipFailed(String reason) {
            failures.incrementAndGet();
            lastFailure.set(reason);
        }

        @Override
        public synchronized void rejected(RejectionReason reason, int samples) {
            rejected.merge(reason, samples, Integer::sum);
        }

        @Override
        public synchronized void lost(LossReason reason, long samples) {
            lost.merge(reason, samples, Long::sum);
        }

        @Override
        public void backlog(long samples, long oldestScheduledMillis) {
            if (backlogFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("listener broke");
            }
            backlog.set(samples);
        }
    }
}
