package dev.vigil.collector.change;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.config.DurableFile;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The recorded changes, held in memory and kept in one JSON file that is rewritten atomically (with
 * {@link DurableFile}) before each new change is taken in: a change is recorded once it is on disk.
 *
 * <p>Thread-safe; {@link #add} blocks on the disk, so the HTTP routes call it off the event loop.
 */
public final class ChangeStore {
    /** The file's format version. */
    static final int VERSION = 1;

    /** The outcome of {@link #add}: the change as stored, and whether it is new. */
    public record Recorded(Change change, boolean created) {
        /** Checks presence. */
        public Recorded {
            Objects.requireNonNull(change, "change");
        }
    }

    private final Path file;
    private List<Change> changes;

    private ChangeStore(Path file, List<Change> changes) {
        this.file = file;
        this.changes = List.copyOf(changes);
    }

    /**
     * The store kept in {@code file}, with the changes it holds; none when it does not exist yet.
     *
     * @throws IllegalStateException when the file cannot be read or is not a change file
     */
    public static ChangeStore open(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            return new ChangeStore(file, List.of());
        }
        try {
            JsonObject json = new JsonObject(Files.readString(file));
            if (json.getInteger("version", -1) != VERSION) {
                throw new IllegalStateException(file + ": version must be " + VERSION + " (was "
                        + json.getValue("version") + ")");
            }
            List<Change> read = new ArrayList<>();
            for (Object item : json.getJsonArray("changes", new JsonArray())) {
                read.add(Change.fromJson((JsonObject) item));
            }
            return new ChangeStore(file, read);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the change file " + file, e);
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalStateException("the change file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Registers {@code vigil_changes_total{service}} with {@code registry}: the changes recorded per service.
     * It is read from the kept list, which never shrinks, so it only grows, across restarts too; services are
     * catalogue services, a bounded label set.
     */
    public void registerMetrics(PrometheusRegistry registry) {
        CounterWithCallback.builder().name("vigil_changes_total")
                .help("Changes recorded per service (deployments, configuration pushes, planned work)")
                .labelNames("service")
                .callback(callback -> {
                    Map<String, Long> counts = all().stream().collect(Collectors.groupingBy(Change::service,
                            TreeMap::new, Collectors.counting()));
                    counts.forEach((service, count) -> callback.call(count, service));
                }).register(registry);
    }

    /** The file the changes are kept in. */
    public Path file() {
        return file;
    }

    /** Every change, in the order recorded. */
    public synchronized List<Change> all() {
        return changes;
    }

    /** The change with {@code id}, if there is one. */
    public synchronized Optional<Change> change(String id) {
        return changes.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * Records {@code draft} under the next free id (the draft's own id is replaced), or, when a change with
     * the same external id exists already, returns that one untouched: recording is idempotent for callers
     * that retry.
     *
     * @throws UncheckedIOException when the file cannot be written; the change is then not recorded
     */
    public synchronized Recorded add(Change draft) {
        Objects.requireNonNull(draft, "draft");
        if (draft.externalId().isPresent()) {
            Optional<Change> existing = changes.stream().filter(c -> c.externalId().equals(draft.externalId()))
                    .findFirst();
            if (existing.isPresent()) {
                return new Recorded(existing.get(), false);
            }
        }
        long next = changes.stream().mapToLong(c -> Long.parseLong(c.id().substring(4))).max().orElse(0) + 1;
        Change change = draft.withId("chg-" + next);
        List<Change> updated = new ArrayList<>(changes);
        updated.add(change);
        JsonArray array = new JsonArray();
        updated.forEach(c -> array.add(c.toJson()));
        try {
            DurableFile.write(file, new JsonObject().put("version", VERSION).put("changes", array).encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the change file " + file, e);
        }
        changes = List.copyOf(updated);
        return new Recorded(change, true);
    }

    /**
     * The changes under way at some instant of {@code [fromEpochMillis, toEpochMillis]}, on {@code service}
     * when given, by start time.
     */
    public synchronized List<Change> list(Optional<String> service, long fromEpochMillis, long toEpochMillis) {
        return changes.stream()
                .filter(c -> service.isEmpty() || c.service().equals(service.get()))
                .filter(c -> c.overlaps(fromEpochMillis, toEpochMillis))
                .sorted(Comparator.comparingLong(Change::startEpochMillis).thenComparing(Change::id))
                .toList();
    }

    /**
     * The changes that may have caused an incident on {@code service} starting at
     * {@code incidentStartMillis}: those whose start lies in {@code [incidentStart - window, incidentStart]}
     * on the service itself or on a service it depends on, directly or through others, by start time.
     */
    public synchronized List<Change> possibleCauses(String service, long incidentStartMillis, Duration window,
            Catalogue catalogue) {
        Set<String> suspects = withDependencies(service, catalogue);
        long from = incidentStartMillis - window.toMillis();
        return changes.stream()
                .filter(c -> suspects.contains(c.service()))
                .filter(c -> c.startEpochMillis() >= from && c.startEpochMillis() <= incidentStartMillis)
                .sorted(Comparator.comparingLong(Change::startEpochMillis).thenComparing(Change::id))
                .toList();
    }

    /** {@code service} and every service it depends on, transitively; a cycle cannot loop. */
    static Set<String> withDependencies(String service, Catalogue catalogue) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(List.of(service));
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (seen.add(name)) {
                catalogue.service(name).map(Service::dependsOn).ifPresent(pending::addAll);
            }
        }
        return seen;
    }
}
