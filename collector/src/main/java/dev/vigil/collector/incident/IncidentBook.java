package dev.vigil.collector.incident;

import dev.vigil.collector.snapshot.SnapshotPart;
import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.collector.state.Transition;
import dev.vigil.protocol.Outcome;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every incident since the journal began: one is opened when a check goes DOWN and resolved when it
 * comes back UP, and each change is handed to the {@link Outbox}. Because the key is derived from the
 * outage start and the book is rebuilt by replaying the journal, one outage is one incident however
 * often the collector restarts. Not thread-safe.
 */
public final class IncidentBook implements CheckListener, SnapshotPart {
    private final Outbox outbox;
    private final Map<String, Incident> incidents = new LinkedHashMap<>();
    private final Map<CheckKey, String> openByCheck = new HashMap<>();

    /** A book handing its events to {@code outbox}. */
    public IncidentBook(Outbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    @Override
    public void onSample(AppliedSample applied) {
        if (applied.transition().isEmpty()) {
            return;
        }
        Transition transition = applied.transition().get();
        if (transition.wentDown()) {
            open(applied, transition);
        } else if (transition.recovered()) {
            resolve(applied.key(), transition.atEpochMillis());
        }
    }

    /** Every incident, newest outage start first. */
    public List<Incident> incidents() {
        List<Incident> all = new ArrayList<>(incidents.values());
        all.sort(Comparator.comparingLong(Incident::startedEpochMillis).reversed().thenComparing(Incident::key));
        return all;
    }

    /** How many incidents are open. */
    public int openCount() {
        return openByCheck.size();
    }

    /** How many incidents were opened since the journal began. */
    public int openedCount() {
        return incidents.size();
    }

    private void open(AppliedSample applied, Transition transition) {
        Incident incident = Incident.open(applied.key(), transition.atEpochMillis(), applied.receivedEpochMillis(),
                applied.sample().outcome(), applied.sample().detail(), applied.journalIndex());
        // The key is the check and the outage start. The board applies a check's samples only in strictly
        // increasing scheduled time, so two outages of one check never start at the same millisecond:
        // a clash is a bug, and dropping the second outage silently would hide it.
        if (incidents.containsKey(incident.key())) {
            throw new IllegalStateException("a second outage starts at the same time as incident " + incident.key()
                    + "; samples of a check must be applied in strictly increasing scheduled time");
        }
        incidents.put(incident.key(), incident);
        openByCheck.put(applied.key(), incident.key());
        outbox.enqueue(new IncidentEvent(IncidentEventType.OPENED, incident));
    }

    private void resolve(CheckKey check, long resolvedEpochMillis) {
        String key = openByCheck.remove(check);
        if (key == null) {
            return;
        }
        Incident resolved = incidents.get(key).resolve(resolvedEpochMillis);
        incidents.put(key, resolved);
        outbox.enqueue(new IncidentEvent(IncidentEventType.RESOLVED, resolved));
    }

    @Override
    public String snapshotName() {
        return "incidents";
    }

    @Override
    public int snapshotVersion() {
        return 1;
    }

    @Override
    public void writeSnapshot(DataOutput out) throws IOException {
        out.writeInt(incidents.size());
        for (Incident incident : incidents.values()) {
            out.writeUTF(incident.check().agent());
            out.writeUTF(incident.check().check());
            out.writeLong(incident.startedEpochMillis());
            out.writeLong(incident.detectedEpochMillis());
            out.writeBoolean(incident.resolvedEpochMillis().isPresent());
            out.writeLong(incident.resolvedEpochMillis().orElse(0));
            out.writeInt(incident.outcome().code());
            out.writeUTF(incident.detail());
            out.writeLong(incident.openedJournalIndex());
        }
    }

    /**
     * Restores the incidents; {@link #announceRestored()} then hands them to the outbox, once every part
     * of the snapshot has been read.
     */
    @Override
    public void readSnapshot(DataInput in) throws IOException {
        if (!incidents.isEmpty()) {
            throw new IllegalStateException("a snapshot is restored into an empty incident book only");
        }
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            CheckKey check = new CheckKey(in.readUTF(), in.readUTF());
            long started = in.readLong();
            long detected = in.readLong();
            boolean resolved = in.readBoolean();
            long resolvedAt = in.readLong();
            Outcome outcome = Outcome.ofCode(in.readInt());
            Incident incident = Incident.open(check, started, detected, outcome, in.readUTF(), in.readLong());
            if (resolved) {
                incident = incident.resolve(resolvedAt);
            } else {
                openByCheck.put(check, incident.key());
            }
            incidents.put(incident.key(), incident);
        }
    }

    /**
     * Hands the outbox the events of every restored incident, in the order a replay of the journal would
     * have: opened, then resolved. The outbox skips what it already settled.
     */
    public void announceRestored() {
        for (Incident incident : incidents.values()) {
            Incident opened = Incident.open(incident.check(), incident.startedEpochMillis(),
                    incident.detectedEpochMillis(), incident.outcome(), incident.detail(),
                    incident.openedJournalIndex());
            outbox.enqueue(new IncidentEvent(IncidentEventType.OPENED, opened));
            if (incident.status() == IncidentStatus.RESOLVED) {
                outbox.enqueue(new IncidentEvent(IncidentEventType.RESOLVED, incident));
            }
        }
    }
}
