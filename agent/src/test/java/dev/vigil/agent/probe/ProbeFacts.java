package dev.vigil.agent.probe;

import java.util.List;
import java.util.Map;

/** Looks up the facts of a {@link ProbeResult} by name and labels, for assertions. */
final class ProbeFacts {
    private ProbeFacts() {
    }

    /** The value of the one fact named {@code name} without labels; fails if there is not exactly one. */
    static double value(ProbeResult result, String name) {
        return value(result, name, Map.of());
    }

    /** The value of the one fact named {@code name} with {@code label} = {@code labelValue}. */
    static double value(ProbeResult result, String name, String label, String labelValue) {
        return value(result, name, Map.of(label, labelValue));
    }

    /** Whether any fact is named {@code name}. */
    static boolean has(ProbeResult result, String name) {
        return result.facts().stream().anyMatch(fact -> fact.name().equals(name));
    }

    private static double value(ProbeResult result, String name, Map<String, String> labels) {
        List<ProbeFact> matching = result.facts().stream()
                .filter(fact -> fact.name().equals(name) && fact.labels().equals(labels))
                .toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected one fact " + name + labels + " but found " + matching.size()
                    + " in " + result.facts());
        }
        return matching.get(0).value();
    }
}
