package dev.vigil.collector.problem;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the problems in a list of incidents: a pure function of the outage incidents' subjects and start
 * times and of the closures, so the same incidents give the same problems after every restart.
 *
 * <p>Per subject, the outages are walked oldest start first (ties by key). While a problem is open, each
 * outage joins it. A problem is open until its closure: an outage starting at or after the closing time
 * no longer joins it. Without an open problem, an outage opens one when it and the free outages before it
 * (those in no problem, started since the last closure) make {@code count} outages starting within
 * {@code within}; those outages are the run, and the problem is keyed by the run's first start.
 *
 * <p>With the same-outcome rule, an outage also opens a problem when it and the free outages before it
 * that failed the same way ({@link ProblemPattern#failure}) make that rule's {@code count} within its
 * {@code within}; the run is then those outages only. The recurrence rule is tried first.
 *
 * <p>Muted outages (in maintenance, or caused by a dependency's outage) are left out: they are planned, or
 * another subject's problem.
 */
public final class ProblemDetector {
    private static final Comparator<Incident> BY_START =
            Comparator.comparingLong(Incident::startedEpochMillis).thenComparing(Incident::key);

    private final ProblemConfig config;

    /** A detector applying {@code config}'s recurrence rule. */
    public ProblemDetector(ProblemConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The rules it applies. */
    ProblemConfig config() {
        return config;
    }

    /**
     * The problems in {@code incidents}, oldest first.
     *
     * @param incidents all incidents, in any order; other kinds than outages are ignored
     * @param closures  closures by problem key
     */
    public List<Problem> detect(List<Incident> incidents, Map<String, Closure> closures) {
        List<Problem> problems = new ArrayList<>();
        bySubject(incidents).forEach((subject, outages) -> problems.addAll(detect(subject, outages, closures)));
        problems.sort(Comparator.comparingLong(Problem::firstStartedEpochMillis).thenComparing(Problem::key));
        return problems;
    }

    /** The subject an outage incident is about: its service, or {@code check/<agent>/<check>}. */
    public static Optional<String> subject(Incident incident) {
        if (incident.kind() != IncidentKind.OUTAGE || incident.muted()) {
            return Optional.empty();
        }
        if (incident.service().isPresent()) {
            return incident.service();
        }
        return incident.checks().isEmpty() ? Optional.empty()
                : Optional.of("check/" + incident.checks().get(0).id());
    }

    /** The outages counted, by subject, each list oldest start first. */
    static Map<String, List<Incident>> bySubject(List<Incident> incidents) {
        Map<String, List<Incident>> bySubject = new TreeMap<>();
        for (Incident incident : incidents) {
            subject(incident).ifPresent(s -> bySubject.computeIfAbsent(s, k -> new ArrayList<>()).add(incident));
        }
        bySubject.values().forEach(list -> list.sort(BY_START));
        return bySubject;
    }

    private List<Problem> detect(String subject, List<Incident> outages, Map<String, Closure> closures) {
        List<Problem> problems = new ArrayList<>();
        List<Incident> members = null;
        Optional<String> failure = Optional.empty();
        Optional<Closure> closure = Optional.empty();
        Deque<Incident> free = new ArrayDeque<>();
        Map<String, Deque<Incident>> freeByFailure = new TreeMap<>();
        for (Incident outage : outages) {
            long start = outage.startedEpochMillis();
            if (members != null && closure.isPresent() && start >= closure.get().closedEpochMillis()) {
                problems.add(problem(subject, members, closure, failure));
                members = null;
                closure = Optional.empty();
            }
            if (members != null) {
                members.add(outage);
                continue;
            }
            free.addLast(outage);
            trim(free, start, config.within());
            String outageFailure = ProblemPattern.failure(outage.detail());
            Optional<Deque<Incident>> run = Optional.empty();
            failure = Optional.empty();
            if (free.size() >= config.count()) {
                run = Optional.of(free);
            } else if (config.sameOutcome().isPresent()) {
                Deque<Incident> same = freeByFailure.computeIfAbsent(outageFailure, f -> new ArrayDeque<>());
                same.addLast(outage);
                trim(same, start, config.sameOutcome().get().within());
                if (same.size() >= config.sameOutcome().get().count()) {
                    run = Optional.of(same);
                    failure = Optional.of(outageFailure);
                }
            }
            if (run.isPresent()) {
                members = new ArrayList<>(run.get());
                closure = Optional.ofNullable(closures.get(Problem.keyOf(subject, members.get(0).startedEpochMillis())));
                // Outages before the run that are not in it stay in no problem: a new run starts after it.
                free.clear();
                freeByFailure.clear();
            }
        }
        if (members != null) {
            problems.add(problem(subject, members, closure, failure));
        }
        return problems;
    }

    /** Drops the outages that started more than {@code within} before {@code start}. */
    private static void trim(Deque<Incident> outages, long start, java.time.Duration within) {
        while (start - outages.peekFirst().startedEpochMillis() > within.toMillis()) {
            outages.removeFirst();
        }
    }

    private static Problem problem(String subject, List<Incident> members, Optional<Closure> closure,
            Optional<String> failure) {
        Incident first = members.get(0);
        return new Problem(Problem.keyOf(subject, first.startedEpochMillis()), subject, first.service(),
                members.stream().map(Incident::key).toList(), first.startedEpochMillis(),
                members.get(members.size() - 1).startedEpochMillis(), ProblemPattern.of(members), closure, failure);
    }

    /**
     * The repeat-failure rate of each subject over {@code [fromEpochMillis, toEpochMillis)}: of the outages
     * starting then, how many belong to a problem (its opening run or a later recurrence).
     *
     * @param problems the problems {@link #detect} found in {@code incidents}
     * @return per subject, in name order: outages and repeated outages
     */
    public static Map<String, RepeatRate> repeatRates(List<Incident> incidents, List<Problem> problems,
            long fromEpochMillis, long toEpochMillis) {
        java.util.Set<String> repeated = new java.util.HashSet<>();
        problems.forEach(problem -> repeated.addAll(problem.incidents()));
        Map<String, RepeatRate> rates = new LinkedHashMap<>();
        bySubject(incidents).forEach((subject, outages) -> {
            int all = 0;
            int repeats = 0;
            for (Incident outage : outages) {
                if (outage.startedEpochMillis() >= fromEpochMillis && outage.startedEpochMillis() < toEpochMillis) {
                    all++;
                    repeats += repeated.contains(outage.key()) ? 1 : 0;
                }
            }
            if (all > 0) {
                rates.put(subject, new RepeatRate(all, repeats));
            }
        });
        return rates;
    }

    /**
     * The outages of one subject in a period and how many of them were repeats.
     *
     * @param incidents outage incidents starting in the period, at least 1
     * @param repeats   those of them that belong to a problem
     */
    public record RepeatRate(int incidents, int repeats) {
        /** Validates the counts. */
        public RepeatRate {
            if (incidents < 1 || repeats < 0 || repeats > incidents) {
                throw new IllegalArgumentException("repeats must be within 0.." + incidents + " (was " + repeats + ")");
            }
        }

        /** {@code repeats / incidents}. */
        public double ratio() {
            return (double) repeats / incidents;
        }
    }
}
