package dev.vigil.collector.evidence;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The recent failure evidence of every check location: per location, the first failure of its current
 * (or last) failing streak and the latest distinct failures, each a sample that carried evidence. Fed by
 * the board with every applied sample, live and on replay, and carried by the snapshot, so it holds the
 * same entries whichever way the collector got here. Not thread-safe: used on the collector's event loop.
 *
 * <p>Bound: at most {@link #MAX_ENTRIES} entries per location, each at most
 * {@link dev.vigil.protocol.Evidence#MAX_ENCODED_BYTES} of evidence plus the sample (about 5 KiB), so about
 * 40 KiB per location that ever failed with evidence.
 */
public final class EvidenceIndex implements CheckListener, SnapshotPart {
    /** The most entries kept per check location: the streak's first failure and the latest distinct ones. */
    public static final int MAX_ENTRIES = 8;
    /** The most entries an incident shows. */
    public static final int MAX_INCIDENT_ENTRIES = 20;
    /** The most entries a sink's opening payload carries. */
    public static final int MAX_OPENING_ENTRIES = 3;
    /** How far before an incident's start evidence counts when a check's interval is unknown. */
    public static final Duration DEFAULT_MARGIN = Duration.ofMinutes(1);

    /** A sanity bound on one encoded sample with its evidence in a snapshot (both are far smaller). */
    private static final int MAX_SAMPLE_BYTES = 1 << 16;

    private static final Comparator<EvidenceEntry> IN_TIME = Comparator.comparingLong(EvidenceEntry::atEpochMillis)
            .thenComparing(EvidenceEntry::key).thenComparingLong(EvidenceEntry::journalIndex);

    private final Function<CheckKey, Optional<Duration>> intervals;
    private final Function<String, List<CheckKey>> serviceLocations;
    private final Map<CheckKey, Location> locations = new TreeMap<>();

    /** An empty index that knows no intervals and no services: for incidents that name their checks. */
    public EvidenceIndex() {
        this(key -> Optional.empty(), service -> List.of());
    }

    /**
     * An empty index.
     *
     * @param intervals        the sampling interval of a check location, where known: evidence counts for
     *                         an incident from one interval before its start
     * @param serviceLocations the check locations of a catalogue service now, for a service incident that
     *                         names no checks
     */
    public EvidenceIndex(Function<CheckKey, Optional<Duration>> intervals,
            Function<String, List<CheckKey>> serviceLocations) {
        this.intervals = Objects.requireNonNull(intervals, "intervals");
        this.serviceLocations = Objects.requireNonNull(serviceLocations, "serviceLocations");
    }

    @Override
    public void onSample(AppliedSample applied) {
        Sample sample = applied.sample();
        Location location = locations.get(applied.key());
        if (sample.success()) {
            if (location != null) {
                location.newStreak = true;
            }
            return;
        }
        if (sample.evidence().isEmpty()) {
            // A failure without evidence (an older agent, a check type that captures none) neither starts
            // nor ends a streak's evidence: the next failure with evidence still counts as its first.
            return;
        }
        EvidenceEntry entry = new EvidenceEntry(applied.key(), applied.journalIndex(), sample);
        if (location == null) {
            location = new Location();
            locations.put(applied.key(), location);
        }
        location.add(entry);
    }

    /**
     * Forgets the locations whose newest entry is older than {@code cutoffEpochMillis}: a check that was
     * removed or renamed would otherwise keep its entries for ever. The collector uses the incidents'
     * own history, so evidence is kept as long as the incidents it explains.
     */
    public void forgetBefore(long cutoffEpochMillis) {
        locations.values().removeIf(location -> {
            List<EvidenceEntry> kept = location.entries();
            return kept.isEmpty() || kept.get(kept.size() - 1).atEpochMillis() < cutoffEpochMillis;
        });
    }

    /** The entries kept for {@code key}, oldest first. */
    public List<EvidenceEntry> entries(CheckKey key) {
        Location location = locations.get(key);
        return location == null ? List.of() : location.entries();
    }

    /** The entries kept for every check location of {@code agent}, by check, each oldest first. */
    public List<EvidenceEntry> entriesOf(String agent) {
        List<EvidenceEntry> all = new ArrayList<>();
        locations.forEach((key, location) -> {
            if (key.agent().equals(agent)) {
                all.addAll(location.entries());
            }
        });
        return all;
    }

    /**
     * The evidence of {@code incident}'s check locations from one check interval before its start to its
     * resolution (or {@code nowEpochMillis}), the first failure first, at most {@link #MAX_INCIDENT_ENTRIES}.
     */
    public List<EvidenceEntry> forIncident(Incident incident, long nowEpochMillis) {
        long to = incident.resolvedEpochMillis().orElse(nowEpochMillis);
        return select(incident, entry -> entry.atEpochMillis() <= to, MAX_INCIDENT_ENTRIES);
    }

    /**
     * The evidence the sinks send with {@code incident}'s opening: that of its check locations from one
     * interval before its start up to the sample that opened it, at most {@link #MAX_OPENING_ENTRIES},
     * the first failure first. It depends only on samples up to the opening, so a re-send carries the same
     * entries for as long as the index keeps them (the streak's first failure is kept until the location
     * fails again after a success).
     */
    public List<EvidenceEntry> atOpening(Incident incident) {
        if (incident.openedJournalIndex() < 0) {
            return List.of();
        }
        return select(incident, entry -> entry.journalIndex() <= incident.openedJournalIndex(), MAX_OPENING_ENTRIES);
    }

    private List<EvidenceEntry> select(Incident incident, Predicate<EvidenceEntry> until,
            int limit) {
        List<EvidenceEntry> selected = new ArrayList<>();
        List<CheckKey> keys = incident.checks().isEmpty() && incident.service().isPresent()
                ? serviceLocations.apply(incident.service().get()) : incident.checks();
        for (CheckKey key : keys) {
            long from = incident.startedEpochMillis() - intervals.apply(key).orElse(DEFAULT_MARGIN).toMillis();
            for (EvidenceEntry entry : entries(key)) {
                if (entry.atEpochMillis() >= from && until.test(entry)) {
                    selected.add(entry);
                }
            }
        }
        selected.sort(IN_TIME);
        return selected.size() <= limit ? selected : List.copyOf(selected.subList(0, limit));
    }

    /** How many check locations have evidence. */
    public int locationCount() {
        return locations.size();
    }

    @Override
    public String snapshotName() {
        return "evidence";
    }

    @Override
    public int snapshotVersion() {
        return 1;
    }

    @Override
    public boolean snapshotOptional() {
        return true;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(locations.size());
        for (Map.Entry<CheckKey, Location> each : locations.entrySet()) {
            Location location = each.getValue();
            out.writeUTF(each.getKey().agent());
            out.writeUTF(each.getKey().check());
            out.writeBoolean(location.newStreak);
            out.writeBoolean(location.first != null);
            if (location.first != null) {
                writeEntry(location.first, out);
            }
            out.writeInt(location.recent.size());
            for (EvidenceEntry entry : location.recent) {
                writeEntry(entry, out);
            }
        }
    }

    @Override
    public void clearSnapshot() {
        locations.clear();
    }

    @Override
    public void readSnapshot(DataInput in) throws IOException {
        if (!locations.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty evidence index only");
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            CheckKey key = new CheckKey(in.readUTF(), in.readUTF());
            Location location = new Location();
            location.newStreak = in.readBoolean();
            if (in.readBoolean()) {
                location.first = readEntry(key, in);
            }
            int recent = in.readInt();
            if (recent < 0 || recent >= MAX_ENTRIES) {
                throw new IOException("evidence of " + key.id() + " claims " + recent + " recent entries");
            }
            for (int j = 0; j < recent; j++) {
                location.recent.addLast(readEntry(key, in));
            }
            locations.put(key, location);
        }
    }

    private static void writeEntry(EvidenceEntry entry, DataOutput out) throws IOException {
        byte[] bytes = SampleCodec.toBytes(entry.sample());
        out.writeLong(entry.journalIndex());
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static EvidenceEntry readEntry(CheckKey key, DataInput in) throws IOException {
        long journalIndex = in.readLong();
        int length = in.readInt();
        if (length < 0 || length > MAX_SAMPLE_BYTES) {
            throw new IOException("evidence of " + key.id() + " claims a sample of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new EvidenceEntry(key, journalIndex, SampleCodec.read(ByteBuffer.wrap(bytes)));
    }

    /** The evidence of one check location. */
    private static final class Location {
        /** The first failure with evidence of the current or last streak. */
        private EvidenceEntry first;
        /** Whether a success came after {@link #first}: the next failure starts a new streak. */
        private boolean newStreak;
        /** The latest failures that differ from the one before, oldest first; at most MAX_ENTRIES - 1. */
        private final ArrayDeque<EvidenceEntry> recent = new ArrayDeque<>();

        void add(EvidenceEntry entry) {
            if (first == null || newStreak) {
                first = entry;
                newStreak = false;
            }
            EvidenceEntry last = recent.peekLast();
            // A failure that repeats the last one kept adds nothing to read; keeping the earlier one (not
            // replacing it) keeps what was already shown stable.
            if (last != null && last.sameFailureAs(entry)) {
                return;
            }
            recent.addLast(entry);
            if (recent.size() > MAX_ENTRIES - 1) {
                recent.removeFirst();
            }
        }

        List<EvidenceEntry> entries() {
            List<EvidenceEntry> all = new ArrayList<>(recent.size() + 1);
            if (first != null && recent.stream().noneMatch(e -> e.journalIndex() == first.journalIndex())) {
                all.add(first);
            }
            all.addAll(recent);
            all.sort(Comparator.comparingLong(EvidenceEntry::journalIndex));
            return all;
        }
    }
}
