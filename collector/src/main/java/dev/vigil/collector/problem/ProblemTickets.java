package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.state.CheckKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Delivers problems as lower-priority tickets to the sink named in {@code problems.sink}, through the
 * incident {@link Outbox}: each problem is sent as an incident event keyed by the problem's key
 * ({@code problem/<subject>@<millis>}), which is the ticket's dedup key, opened once when the problem
 * opens and resolved when it is closed through the API. Retries, ordering and the durable record of
 * what was delivered are the outbox's; {@link #sync} may run any number of times (after a restart too):
 * what is queued or settled already is not sent again.
 *
 * <p>Like an incident, a problem goes to the sink only if the sink was configured before the problem
 * opened (before the journal entry of the outage that opened it). A problem closed before this collector
 * started is left alone: its resolution was queued when it closed, and one closed before
 * {@code problems.sink} was set needs no ticket at all. Not thread-safe: the collector's event loop.
 */
public final class ProblemTickets {
    /** The priority of a problem ticket: below every outage's (P1..P3 for outages by default). */
    public static final Priority PRIORITY = Priority.P4;

    private final ProblemBook book;
    private final Supplier<List<Incident>> incidents;
    private final Outbox outbox;
    private final String sink;
    /** Problems closed since this collector started: the only closed ones still worth a ticket. */
    private final Set<String> closedHere = new java.util.HashSet<>();

    /**
     * Tickets for {@code book}'s problems, sent to {@code sink} through {@code outbox}; a problem's
     * resolution is queued as soon as it is closed through the book.
     *
     * @param incidents the incidents the book's problems come from, to date each problem's opening
     * @throws IllegalArgumentException when the outbox has no sink named {@code sink}
     */
    public ProblemTickets(ProblemBook book, Supplier<List<Incident>> incidents, Outbox outbox, String sink) {
        this.book = Objects.requireNonNull(book, "book");
        this.incidents = Objects.requireNonNull(incidents, "incidents");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sink = Objects.requireNonNull(sink, "sink");
        if (!outbox.sinkNames().contains(sink)) {
            throw new IllegalArgumentException("problems.sink must name one of the sinks " + outbox.sinkNames()
                    + " (was '" + sink + "')");
        }
        book.onClose(closed -> {
            closedHere.add(closed.key());
            sync();
        });
    }

    /**
     * Queues the opening of every problem and the resolution of every closed one. Call it once the journal
     * is replayed and before {@link Outbox#start()}, then with each refresh of figures (new problems open as
     * outages come in) — closures queue their resolution by themselves.
     */
    public void sync() {
        List<Problem> problems = book.problems();
        if (problems.isEmpty()) {
            return;
        }
        Map<String, Incident> byKey = new LinkedHashMap<>();
        incidents.get().forEach(incident -> byKey.put(incident.key(), incident));
        for (Problem problem : problems) {
            if (problem.closure().isPresent() && !closedHere.contains(problem.key())) {
                // Closed before this start: its ticket and resolution were queued when it closed (the outbox
                // keeps them across restarts), and one closed before problems.sink was set needs no ticket.
                continue;
            }
            Incident opened = ticket(problem, byKey::get);
            outbox.enqueueTo(sink, IncidentEvent.of(IncidentEventType.OPENED, opened));
            problem.closure().ifPresent(closure -> outbox.enqueueTo(sink, IncidentEvent.of(IncidentEventType.RESOLVED,
                    opened.resolve(closure.closedEpochMillis(), "closed" + (closure.by().isEmpty() ? ""
                            : " by " + closure.by()) + ": root cause: " + closure.rootCause()))));
        }
    }

    /**
     * The problem as the open incident a sink is sent. Its fields depend only on the problem's opening
     * run, so every sync builds the same opening (the outbox sends it once anyway).
     */
    Incident ticket(Problem problem, Function<String, Incident> incident) {
        int runSize = problem.failure().isPresent() ? book.config().sameOutcome().orElseThrow().count()
                : book.config().count();
        List<Incident> run = new ArrayList<>();
        for (String key : problem.incidents().subList(0, Math.min(runSize, problem.incidents().size()))) {
            Optional.ofNullable(incident.apply(key)).ifPresent(run::add);
        }
        Incident opening = run.isEmpty() ? null : run.get(run.size() - 1);
        Set<CheckKey> checks = new LinkedHashSet<>();
        run.forEach(outage -> checks.addAll(outage.checks()));
        String title = "Problem: " + problem.subject() + " keeps failing"
                + problem.failure().map(failure -> " with " + failure).orElse("");
        String detail = run.size() + " outages of " + problem.subject() + " from "
                + Instant.ofEpochMilli(problem.firstStartedEpochMillis()) + " to "
                + Instant.ofEpochMilli(run.isEmpty() ? problem.lastStartedEpochMillis()
                        : opening.startedEpochMillis())
                + " opened this problem (rule " + problem.rule() + "); failures: "
                + ProblemPattern.of(run).byFailure().entrySet().stream()
                        .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "))
                + ". Find the root cause, then close it: POST /api/v1/problems/" + problem.id() + "/close";
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("vigil_problem", problem.key());
        labels.put("problem_rule", problem.rule());
        problem.failure().ifPresent(failure -> labels.put("problem_failure", failure));
        long detected = opening == null ? problem.lastStartedEpochMillis() : opening.detectedEpochMillis();
        return new Incident(problem.key(), IncidentKind.OUTAGE, title, problem.service(), List.copyOf(checks),
                IncidentStatus.OPEN, Level.LOW, Level.LOW, PRIORITY, problem.firstStartedEpochMillis(), detected,
                OptionalLong.empty(), Optional.empty(), Optional.empty(), detail, labels, run.size(),
                List.of(new IncidentNote(detected, "problem opened: " + detail)),
                opening == null ? -1 : opening.openedJournalIndex());
    }
}
