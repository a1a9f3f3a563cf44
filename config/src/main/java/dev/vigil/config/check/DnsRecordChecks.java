package dev.vigil.config.check;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Conditions on one section of a DNS response (answer, authority or additional), each record taken
 * in presentation form ({@code example.com.	300	IN	A	192.0.2.1}); failing any is {@code ASSERTION_FAILED}.
 * A pattern matches a record when it is found anywhere in it. The conditions behave exactly as
 * blackbox_exporter's {@code validate_*_rrs} do, names included:
 *
 * @param failIfMatches     fail if any record matches any of these
 * @param failIfNotMatches  fail if the section is empty or any record fails to match any of these
 *                          (every record must match every pattern)
 * @param failIfAllMatch    despite the name, fail unless every record matches every one of these; an
 *                          empty section passes (blackbox_exporter's behaviour, kept for compatibility)
 * @param failIfNoneMatches fail if the section is empty or no record matches any of these
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
