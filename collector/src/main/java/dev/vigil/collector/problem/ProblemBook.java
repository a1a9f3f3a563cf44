package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import dev.vigil.config.DurableFile;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The problems of the collector: derived from the incidents, with the closures people made kept in
 * {@code problems.json} ({@link DurableFile}). A read recomputes them only when an incident or a closure
 * changed since the last one (incidents are immutable records, so a changed one is a new object): the
 * metrics, the ticket sync and the API read them every few seconds. Not thread-safe: used from one event
 * loop.
 */
public final class ProblemBook {
    private final ProblemDetector detector;
    private final Supplier<List<Incident>> incidents;
    private final InstantSource clock;
    private final Path file;
    private final Map<String, Closure> closures;
    private final List<Consumer<Problem>> closeListeners = new ArrayList<>();
    private List<Incident> detectedFrom = List.of();
    private int closuresDetected = -1;
    private int closuresVersion;
    private List<Problem> detected = List.of();
    private List<Problem> ratesOf;
    private long ratesFrom;
    private long ratesTo;
    private Map<String, ProblemDetector.RepeatRate> rates = Map.of();

    private ProblemBook(ProblemDetector detector, Supplier<List<Incident>> incidents, InstantSource clock, Path file,
            Map<String, Closure> closures) {
        this.detector = detector;
        this.incidents = incidents;
        this.clock = clock;
        this.file = file;
        this.closures = closures;
    }

    /**
     * Opens the book, reading the closures in {@code file} if it exists.
     *
     * @param incidents the incidents now, e.g. {@code IncidentBook::incidents}
     * @param clock     the time closures are made at
     * @param file      where closures are kept, {@code <data_dir>/problems.json}
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when the file holds no valid closures
     */
    public static ProblemBook open(ProblemConfig config, Supplier<List<Incident>> incidents, InstantSource clock,
            Path file) {
        Map<String, Closure> closures = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
                JsonObject stored = json.getJsonObject("closures");
                for (String key : stored.fieldNames()) {
                    JsonObject closure = stored.getJsonObject(key);
                    closures.put(key, new Closure(closure.getString("root_cause"), closure.getString("by"),
                            closure.getLong("closed_epoch_millis")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read problem closures from " + file, e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + " does not hold problem closures: " + e.getMessage(), e);
            }
        }
        return new ProblemBook(new ProblemDetector(config), Objects.requireNonNull(incidents, "incidents"),
                Objects.requireNonNull(clock, "clock"), file, closures);
    }

    /** The rules the book applies. */
    public ProblemConfig config() {
        return detector.config();
    }

    /** Calls {@code listener} with each problem closed through {@link #close}, once it is closed and stored. */
    public void onClose(Consumer<Problem> listener) {
        closeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** The book's clock now, in epoch milliseconds: what "the current month" means to its routes. */
    public long clockMillis() {
        return clock.millis();
    }

    /** Every problem, oldest first. */
    public List<Problem> problems() {
        return detect(incidents.get());
    }

    private List<Problem> detect(List<Incident> all) {
        if (closuresDetected != closuresVersion || !sameObjects(all, detectedFrom)) {
            detected = List.copyOf(detector.detect(all, closures));
            detectedFrom = all;
            closuresDetected = closuresVersion;
        }
        return detected;
    }

    private static boolean sameObjects(List<Incident> a, List<Incident> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The problem with {@code key}, if there is one. */
    public Optional<Problem> problem(String key) {
        return problems().stream().filter(problem -> problem.key().equals(key)).findFirst();
    }

    /** The repeat-failure rates by subject of the outages starting in {@code [from, to)} epoch millis. */
    public Map<String, ProblemDetector.RepeatRate> repeatRates(long fromEpochMillis, long toEpochMillis) {
        List<Incident> all = incidents.get();
        List<Problem> problems = detect(all);
        // The same problems (the detection was not redone) over the same incidents give the same rates.
        if (problems != ratesOf || fromEpochMillis != ratesFrom || toEpochMillis != ratesTo) {
            rates = Collections.unmodifiableMap(ProblemDetector.repeatRates(all, problems, fromEpochMillis,
                    toEpochMillis));
            ratesOf = problems;
            ratesFrom = fromEpochMillis;
            ratesTo = toEpochMillis;
        }
        return rates;
    }

    /** What closing a problem did. */
    public enum CloseResult {
        /** It was open and is closed now. */
        CLOSED,
        /** There is no problem with that key. */
        NOT_FOUND,
        /** It was closed already. */
        ALREADY_CLOSED
    }

    /**
     * Closes the open problem {@code key} now, and writes the closures durably before answering.
     *
     * @throws UncheckedIOException when the closures cannot be written; nothing is closed then
     */
    public CloseResult close(String key, String rootCause, String by) {
        Optional<Problem> problem = problem(key);
        if (problem.isEmpty()) {
            return CloseResult.NOT_FOUND;
        }
        if (!problem.get().open()) {
            return CloseResult.ALREADY_CLOSED;
        }
        Closure closure = new Closure(rootCause, by, clock.millis());
        Map<String, Closure> next = new TreeMap<>(closures);
        next.put(key, closure);
        write(next);
        closures.put(key, closure);
        closuresVersion++;
        Problem closed = problem(key).orElseThrow();
        closeListeners.forEach(listener -> listener.accept(closed));
        return CloseResult.CLOSED;
    }

    private void write(Map<String, Closure> next) {
        JsonObject stored = new JsonObject();
        next.forEach((key, closure) -> stored.put(key, new JsonObject().put("root_cause", closure.rootCause())
                .put("by", closure.by()).put("closed_epoch_millis", closure.closedEpochMillis())));
        try {
            DurableFile.write(file, new JsonObject().put("version", 1).put("closures", stored).encodePrettily());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write problem closures to " + file, e);
        }
    }
}
