package dev.vigil.collector.catalogue;

import dev.vigil.collector.catalogue.CatalogueRefusal.Reason;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current {@link Catalogue} and the changes made to it through the API, persisted in
 * {@code catalogue.json}.
 *
 * <p>Confined to the event loop of the verticle that opened it: call every method there. Changes are
 * applied one at a time in the order they arrive: each is checked against the catalogue its
 * predecessors left, the file is written off the event loop, and only once the write succeeded does
 * the new catalogue become {@link #current()} and are the listeners told, on the event loop. A change
 * whose write fails leaves the catalogue as it was.
 */
public final class CatalogueStore {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogueStore.class);
    /** The prefix of generated maintenance ids: {@code api-1}, {@code api-2}, ... */
    static final String GENERATED_ID_PREFIX = "api-";

    /**
     * A saved change.
     *
     * @param catalogue the catalogue with the change
     * @param created   whether the change created the item rather than replacing one
     */
    public record Saved(Catalogue catalogue, boolean created) {
    }

    /** What a change leaves: the new API items and whether it created one. */
    private record Step(CatalogueLayer api, boolean created) {
    }

    private record Task(Function<Catalogue, Step> change, Promise<Saved> saved) {
    }

    private final Vertx vertx;
    private final Path file;
    private final Set<String> agents;
    private final List<Consumer<Catalogue>> listeners = new ArrayList<>();
    private final Queue<Task> queue = new ArrayDeque<>();
    private Catalogue current;
    private long nextMaintenanceId;
    private boolean writing;

    private CatalogueStore(Vertx vertx, Path file, Set<String> agents, Catalogue current, long nextMaintenanceId) {
        this.vertx = vertx;
        this.file = file;
        this.agents = Set.copyOf(agents);
        this.current = current;
        this.nextMaintenanceId = nextMaintenanceId;
    }

    /**
     * Opens the store: the file's items from {@code config} and the API's from {@code file}, if it exists.
     *
     * @param agents the agents of {@code collector.yaml}, which checks may name
     * @param file   the overlay, {@code <data_dir>/catalogue.json}
     * @throws IllegalStateException naming the overlay's line and field when it cannot be read, or refers to
     *                               what {@code collector.yaml} no longer defines
     */
    public static CatalogueStore open(Vertx vertx, CatalogueConfig config, Set<String> agents, Path file) {
        Objects.requireNonNull(vertx, "vertx");
        Catalogue base = config.catalogue();
        OverlayFile.Contents contents;
        try {
            contents = OverlayFile.read(file, base, agents);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalogue changes made through the API from " + file, e);
        } catch (ConfigException e) {
            throw new IllegalStateException("the catalogue changes made through the API do not fit "
                    + config.fileName() + ": " + e.getMessage() + "; fix " + config.fileName() + " or that file "
                    + "(its items are the API's, with the fields of " + config.fileName() + ")", e);
        }
        for (String item : contents.shadowed()) {
            LOG.warn("The {} made through the API is left out: {} now defines it (it is dropped from {} with the "
                    + "next change)", item, config.fileName(), file);
        }
        Catalogue catalogue;
        try {
            catalogue = new Catalogue(config.items(), contents.layer(), config.fileName(), contents.version() + 1);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the catalogue changes made through the API in " + file + " do not fit "
                    + config.fileName() + ": " + e.getMessage(), e);
        }
        return new CatalogueStore(vertx, file, agents, catalogue, contents.nextMaintenanceId());
    }

    /** The catalogue as it is now. */
    public Catalogue current() {
        return current;
    }

    /** The agents of {@code collector.yaml}, which checks may name. */
    public Set<String> agents() {
        return agents;
    }

    /** The overlay file. */
    public Path file() {
        return file;
    }

    /** Calls {@code listener} on the event loop with each new catalogue, after it was saved. */
    public void subscribe(Consumer<Catalogue> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Creates or replaces the service of {@code service}'s name. */
    public Future<Saved> putService(Service service) {
        return submit(catalogue -> {
            String name = service.name();
            refuseFileItem(catalogue, catalogue.fileLayer().services().containsKey(name), "service", name);
            for (ServiceCheck check : service.checks()) {
                for (String agent : check.agents()) {
                    if (!agents.contains(agent)) {
                        throw new CatalogueRefusal(Reason.INVALID, "check " + check.check() + " names no agent '"
                                + agent + "' (agents: " + References.list(agents) + ")");
                    }
                }
            }
            CatalogueLayer api = catalogue.apiLayer().with(service);
            Map<String, Service> services = new HashMap<>();
            catalogue.fileLayer().services().forEach(services::put);
            api.services().forEach(services::put);
            Catalogue.dependencyCycle(services).ifPresent(cycle -> {
                throw new CatalogueRefusal(Reason.INVALID, "depends_on makes a dependency cycle: "
                        + String.join(" -> ", cycle));
            });
            return new Step(api, !catalogue.apiLayer().services().containsKey(name));
        });
    }

    /** Deletes the service {@code name}, which no other service may depend on. */
    public Future<Catalogue> deleteService(String name) {
        return submit(catalogue -> {
            refuseFileItem(catalogue, catalogue.fileLayer().services().containsKey(name), "service", name);
            requireApiItem(catalogue.apiLayer().services().containsKey(name), "service", name);
            List<String> dependents = catalogue.dependents(name);
            if (!dependents.isEmpty()) {
                throw new CatalogueRefusal(Reason.CONFLICT, "service " + name + " is a dependency of "
                        + String.join(", ", dependents) + "; change their depends_on first");
            }
            return new Step(catalogue.apiLayer().withoutService(name), false);
        }).map(Saved::catalogue);
    }

    /** Creates or replaces the SLA of {@code sla}'s name. */
    public Future<Saved> putSla(SlaDefinition sla) {
        return submit(catalogue -> {
            refuseFileItem(catalogue, catalogue.fileLayer().slas().containsKey(sla.name()), "SLA", sla.name());
            return new Step(catalogue.apiLayer().with(sla), !catalogue.apiLayer().slas().containsKey(sla.name()));
        });
    }

    /** Deletes the SLA {@code name}, which no service may use. */
    public Future<Catalogue> deleteSla(String name) {
        return submit(catalogue -> {
            refuseFileItem(catalogue, catalogue.fileLayer().slas().containsKey(name), "SLA", name);
            requireApiItem(catalogue.apiLayer().slas().containsKey(name), "SLA", name);
            List<String> users = catalogue.servicesWithSla(name);
            if (!users.isEmpty()) {
                throw new CatalogueRefusal(Reason.CONFLICT, "SLA " + name + " is used by service "
                        + String.join(", ", users) + "; give them another SLA first");
            }
            return new Step(catalogue.apiLayer().withoutSla(name), false);
        }).map(Saved::catalogue);
    }

    /** Creates or replaces the calendar of {@code calendar}'s name. */
    public Future<Saved> putCalendar(ServiceCalendar calendar) {
        return submit(catalogue -> {
            String name = calendar.name();
            refuseBuiltIn(name);
            refuseFileItem(catalogue, catalogue.fileLayer().calendars().containsKey(name), "calendar", name);
            return new Step(catalogue.apiLayer().with(calendar), !catalogue.apiLayer().calendars().containsKey(name));
        });
    }

    /** Deletes the calendar {@code name}, which no SLA may use. */
    public Future<Catalogue> deleteCalendar(String name) {
        return submit(catalogue -> {
            refuseBuiltIn(name);
            refuseFileItem(catalogue, catalogue.fileLayer().calendars().containsKey(name), "calendar", name);
            requireApiItem(catalogue.apiLayer().calendars().containsKey(name), "calendar", name);
            List<String> users = catalogue.slasWithCalendar(name);
            if (!users.isEmpty()) {
                throw new CatalogueRefusal(Reason.CONFLICT, "calendar " + name + " is used by SLA "
                        + String.join(", ", users) + "; give them another calendar first");
            }
            return new Step(catalogue.apiLayer().withoutCalendar(name), false);
        }).map(Saved::catalogue);
    }

    /** Adds the maintenance window {@code entry}, whose id must be new. */
    public Future<Saved> addMaintenance(MaintenanceEntry entry) {
        return submit(catalogue -> {
            Optional<MaintenanceEntry> existing = catalogue.maintenanceWindow(entry.id());
            if (existing.isPresent()) {
                String where = catalogue.fileLayer().maintenance().containsKey(entry.id()) ? catalogue.fileName()
                        : "the API's windows";
                throw new CatalogueRefusal(Reason.CONFLICT, "maintenance window " + entry.id() + " already exists (in "
                        + where + "); choose another id, or leave it out to get one");
            }
            return new Step(catalogue.apiLayer().with(entry), true);
        });
    }

    /**
     * Ends the maintenance window {@code id} at {@code at}: its occurrences before {@code at} still count,
     * the rest of a running one and later ones do not. A window that has not begun is thereby cancelled.
     */
    public Future<Saved> endMaintenance(String id, Instant at, Optional<String> by) {
        return submit(catalogue -> {
            refuseFileItem(catalogue, catalogue.fileLayer().maintenance().containsKey(id), "maintenance window", id);
            MaintenanceEntry entry = catalogue.apiLayer().maintenance().get(id);
            requireApiItem(entry != null, "maintenance window", id);
            if (entry.endedAt().isPresent()) {
                throw new CatalogueRefusal(Reason.CONFLICT, "maintenance window " + id + " was already ended at "
                        + entry.endedAt().get());
            }
            if (!entry.hasFutureOccurrence(at.toEpochMilli())) {
                throw new CatalogueRefusal(Reason.CONFLICT, "maintenance window " + id + " is already over; it stays "
                        + "on record");
            }
            return new Step(catalogue.apiLayer().with(entry.end(at, by)), false);
        });
    }

    /** A maintenance id not in use, {@code api-<n>}, for a window posted without one. */
    public String newMaintenanceId() {
        String id;
        do {
            id = GENERATED_ID_PREFIX + nextMaintenanceId++;
        } while (current.maintenanceWindow(id).isPresent());
        return id;
    }

    private Future<Saved> submit(Function<Catalogue, Step> change) {
        Promise<Saved> saved = Promise.promise();
        queue.add(new Task(change, saved));
        applyNext();
        return saved.future();
    }

    private void applyNext() {
        if (writing || queue.isEmpty()) {
            return;
        }
        Task task = queue.remove();
        Catalogue next;
        boolean created;
        try {
            Step step = task.change().apply(current);
            next = current.withApiLayer(step.api());
            created = step.created();
        } catch (CatalogueRefusal refusal) {
            task.saved().fail(refusal);
            applyNext();
            return;
        } catch (IllegalArgumentException invalid) {
            task.saved().fail(new CatalogueRefusal(Reason.INVALID, invalid.getMessage()));
            applyNext();
            return;
        }
        writing = true;
        String text = OverlayFile.text(next, nextMaintenanceId);
        vertx.executeBlocking(() -> {
            OverlayFile.write(file, text);
            return null;
        }).onComplete(written -> {
            writing = false;
            if (written.succeeded()) {
                current = next;
                notifyListeners(next);
                task.saved().complete(new Saved(next, created));
            } else {
                LOG.error("Cannot save the catalogue to {}; the change is refused", file, written.cause());
                task.saved().fail(new UncheckedIOException("cannot save the catalogue to " + file + ": "
                        + written.cause().getMessage(), written.cause() instanceof IOException io ? io
                        : new IOException(written.cause())));
            }
            applyNext();
        });
    }

    private void notifyListeners(Catalogue catalogue) {
        for (Consumer<Catalogue> listener : listeners) {
            try {
                listener.accept(catalogue);
            } catch (RuntimeException e) {
                LOG.error("A catalogue listener failed on version {}", catalogue.version(), e);
            }
        }
    }

    private static void refuseFileItem(Catalogue catalogue, boolean inFile, String what, String name) {
        if (inFile) {
            throw new CatalogueRefusal(Reason.READ_ONLY, what + " " + name + " is defined in " + catalogue.fileName()
                    + ", which the API does not change; edit the file and restart the collector");
        }
    }

    private static void refuseBuiltIn(String calendar) {
        if (calendar.equals(Catalogue.ALWAYS_ON)) {
            throw new CatalogueRefusal(Reason.READ_ONLY, "calendar " + Catalogue.ALWAYS_ON
                    + " is built in (every hour of every day, UTC) and cannot be changed");
        }
    }

    private static void requireApiItem(boolean exists, String what, String name) {
        if (!exists) {
            throw new CatalogueRefusal(Reason.NOT_FOUND, "no " + what + " '" + name + "'");
        }
    }
}
