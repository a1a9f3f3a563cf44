package dev.vigil.agent.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Conditions on one section of a DNS response (answer, authority or additional), each record taken
 * in presentation form ({@code example.com.	300	IN	A	192.0.2.1}); failing any is {@code ASSERTION_FAILED}.
 *
 * @param failIfMatches    fail if any record matches any of these
 * @param failIfNotMatches fail unless some record matches each of these
 * @param failIfAllMatch   fail if every record matches one of these (and there is at least one record)
 * @param failIfNoneMatches fail if no record matches one of these
 */
public record DnsRecordChecks(
        List<Pattern> failIfMatches,
        List<Pattern> failIfNotMatches,
        List<Pattern> failIfAllMatch,
        List<Pattern> failIfNoneMatches) {

    /** No conditions. */
    public static final DnsRecordChecks NONE = new DnsRecordChecks(List.of(), List.of(), List.of(), List.of());

    /** Copies the lists. */
    public DnsRecordChecks {
        failIfMatches = List.copyOf(failIfMatches);
        failIfNotMatches = List.copyOf(failIfNotMatches);
        failIfAllMatch = List.copyOf(failIfAllMatch);
        failIfNoneMatches = List.copyOf(failIfNoneMatches);
    }
}
