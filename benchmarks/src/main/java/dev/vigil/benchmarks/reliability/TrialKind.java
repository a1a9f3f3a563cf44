package dev.vigil.benchmarks.reliability;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of trial the harness runs, in the order it runs them. */
enum TrialKind {
    /** The agent is killed with SIGKILL at random moments and restarted on the same data directory. */
    AGENT_KILL("agent-kill"),
    /** The collector is killed with SIGKILL at random moments and restarted; it replays its journal. */
    COLLECTOR_KILL("collector-kill"),
    /** Both are killed at the same moment and restarted. */
    BOTH_KILL("both-kill"),
    /** The collector is down for a while; the agent journals, then drains its backlog. */
    OUTAGE("outage"),
    /** The collector is frozen with SIGSTOP: connections open, no answers; then SIGCONT. */
    STALL("stall"),
    /** The agent's journal disk fills up while the collector is down. */
    DISK_FULL("disk-full");

    private final String label;

    TrialKind(String label) {
        this.label = label;
    }

    /** The name on the command line ({@code --only}) and in the report. */
    String label() {
        return label;
    }

    /** The kind called {@code label}. */
    static TrialKind of(String label) {
        for (TrialKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown trial '" + label + "'; the trials are "
                + Arrays.stream(values()).map(TrialKind::label).collect(Collectors.joining(", ")));
    }
}
