package dev.vigil.agent.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /healthz} reports: ok, or degraded with the reasons why.
 *
 * @param agent          the agent's name ({@code [A-Za-z0-9._-]}, so it needs no JSON escaping)
 * @param journalBacklog journaled samples not yet acknowledged by the collector, ≥ 0
 * @param problems       why the agent is degraded, each a short sentence; empty when it is ok
 */
public record Health(String agent, long journalBacklog, List<String> problems) {

    /** Validates the fields. */
    public Health {
        Objects.requireNonNull(agent, "agent");
        problems = List.copyOf(problems);
        if (journalBacklog < 0) {
            throw new IllegalArgumentException("journalBacklog must be >= 0 (was " + journalBacklog + ")");
        }
    }

    /**
     * The health of an agent whose shipper and journal threads are running or not: a stopped thread
     * means samples are no longer journaled or shipped, so the agent is degraded.
     */
    public static Health of(String agent, long journalBacklog, boolean shipperRunning, boolean journalRunning) {
        List<String> problems = new ArrayList<>();
        if (!shipperRunning) {
            problems.add("shipper thread is not running");
        }
        if (!journalRunning) {
            problems.add("journal thread is not running");
        }
        return new Health(agent, journalBacklog, problems);
    }

    /** Whether nothing is wrong. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /**
     * The report as {@code {"status":"ok","agent":"<name>","journalBacklog":N}}, or with
     * {@code "status":"degraded"} and a {@code "reason"} joining the problems.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder()
                .append("{\"status\":\"").append(ok() ? "ok" : "degraded")
                .append("\",\"agent\":\"").append(escape(agent))
                .append("\",\"journalBacklog\":").append(journalBacklog);
        if (!ok()) {
            json.append(",\"reason\":\"").append(escape(String.join("; ", problems))).append('"');
        }
        return json.append('}').toString();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
