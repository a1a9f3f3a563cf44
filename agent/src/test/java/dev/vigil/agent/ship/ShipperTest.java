package dev.vigil.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.agent.journal.SampleJournal;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
        synchronized (log.list) {
            return log.list.stream()
                    .filter(event -> event.getLevel() == Level.ERROR)
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

    private Shipper shipper(URI collector, String token, int batchSize) {
        ShipperSettings settings = new ShipperSettings(URI.create(collector + FakeIngestServer.PATH), token, batchSize,
                Duration.ofSeconds(2), FAST);
        Shipper shipper = new Shipper(journal, dataDir.resolve("journal-acked"), settings, group, listener);
        toClose.add(shipper);
        return shipper;
    }

    private List<Long> append(int count) {
        List<Long> indexes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            indexes.add(journal.append(new Sample("web", 1_700_000_000_000L + i * 1_000L, 0, Outcome.OK, -1, 500_000,
                    -1, 900_000, 1_500_000, 200, "")));
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
        assertThat(ingest.requests()).isEqualTo(13);
        assertThat(listener.acked.get()).isEqualTo(1_234);
        assertThat(Files.readString(dataDir.resolve("journal-acked")).trim())
                .isEqualTo(Long.toString(indexes.get(indexes.size() - 1)));
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
    void shipsFromTheOldestSampleWhenThePersistedIndexIsNotInTheJournal() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = append(10);
        Files.writeString(dataDir.resolve("journal-acked"), (indexes.get(9) + 1_000_000) + "\n");
        Shipper shipper = shipper(ingest.url(), TOKEN, 500);
        shipper.start();

        await().atMost(DEADLINE).until(() -> ingest.held().size() == 10);
        assertThat(ingest.received()).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes);
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
    void reportsSamplesOfAWipedJournalThatTheCollectorTakesForDuplicates() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> before = shipEverythingAndStop(ingest, 30);
        wipeJournal();
        Files.delete(dataDir.resolve("journal-acked"));

        List<Long> after = append(12);
        Shipper second = shipper(ingest.url(), TOKEN, 5);
        second.start();

        await().atMost(DEADLINE).until(() -> second.ackedIndex() == after.get(11));
        assertThat(listener.rejectedAsDuplicate.get()).isEqualTo(12);
        assertThat(errors()).singleElement().asString()
                .contains("already holds higher journal indexes for this agent (up to " + before.get(29) + ")")
                .contains("counted as duplicates")
                .contains("give the agent a new name, or wait for the journal epoch");
    }

    @Test
    void reportsAJournalResetBelowThePersistedAcknowledgedIndex() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> before = shipEverythingAndStop(ingest, 30);
        wipeJournal();

        List<Long> after = append(8);
        Shipper second = shipper(ingest.url(), TOKEN, 50);
        second.start();

        await().atMost(DEADLINE).until(() -> listener.rejectedAsDuplicate.get() == 8);
        assertThat(second.ackedIndex()).isEqualTo(after.get(7));
        assertThat(errors()).first().asString()
                .contains("was reset")
                .contains("already holds higher indexes for this agent")
                .contains("as duplicates")
                .contains("give the agent a new name, or wait for the journal epoch");
    }

    @Test
    void countsNoRejectionWhenAResentBatchIsAllDuplicatesOfItsOwnSamples() throws Exception {
        FakeIngestServer ingest = ingest(FakeIngestServer.start(TOKEN));
        List<Long> indexes = shipEverythingAndStop(ingest, 10);
        // As if the ack had been lost: the same samples go again, and the collector already holds them.
        Files.delete(dataDir.resolve("journal-acked"));
        Shipper again = shipper(ingest.url(), TOKEN, 50);
        again.start();
        await().atMost(DEADLINE).until(() -> again.ackedIndex() == indexes.get(9));

        assertThat(listener.rejectedAsDuplicate.get()).isZero();
        assertThat(errors()).isEmpty();
    }

    /** Appends {@code count} samples, ships them all to {@code ingest}, and stops that shipper. */
    private List<Long> shipEverythingAndStop(FakeIngestServer ingest, int count) throws Exception {
        List<Long> indexes = append(count);
        Shipper shipper = shipper(ingest.url(), TOKEN, 50);
        shipper.start();
        await().atMost(DEADLINE).until(() -> shipper.ackedIndex() == indexes.get(count - 1));
        shipper.close();
        return indexes;
    }

    private static final class Counting implements ShipListener {
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger rejectedAsDuplicate = new AtomicInteger();
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
        public void rejectedAsDuplicate(int samples) {
            rejectedAsDuplicate.addAndGet(samples);
        }

        @Override
        public void backlog(long samples) {
            if (backlogFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new IllegalStateException("listener broke");
            }
            backlog.set(samples);
        }
    }
}
