package dev.vigil.agent.probe;

import dev.vigil.config.check.DnsRecordChecks;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Applies a {@link DnsRecordChecks} to the records of one response section, in presentation form
 * ({@link DnsRecordText}), exactly as blackbox_exporter's {@code validRRs} does: the same order, the
 * same treatment of an empty section, patterns found anywhere in the record (not anchored).
 *
 * <ul>
 *   <li>{@code fail_if_matches}: fails if any record matches any pattern.
 *   <li>{@code fail_if_not_matches}: fails if the section is empty or a record does not match one of
 *       the patterns: every record must match every pattern.
 *   <li>{@code fail_if_all_match}: despite its name, fails unless every record matches every pattern;
 *       an empty section passes. This is what blackbox_exporter does (and tests), kept so that a module
 *       moved over behaves the same.
 *   <li>{@code fail_if_none_matches}: fails if the section is empty or no record matches any pattern.
 * </ul>
 */
final class DnsSectionChecks {
    private DnsSectionChecks() {
    }

    /**
     * Why the records of {@code section} ({@code answer}, {@code authority} or {@code additional})
     * fail {@code checks}, naming the condition, the pattern and the record; empty when they pass.
     */
    static Optional<String> failure(String section, List<String> records, DnsRecordChecks checks) {
        if (records.isEmpty() && !checks.failIfNotMatches().isEmpty()) {
            return Optional.of("no " + section + " records, but fail_if_not_matches requires every record to match "
                    + quoted(checks.failIfNotMatches(), " and "));
        }
        if (records.isEmpty() && !checks.failIfNoneMatches().isEmpty()) {
            return Optional.of("no " + section + " records, but fail_if_none_matches requires one to match "
                    + quoted(checks.failIfNoneMatches(), " or "));
        }
        String notAllMatch = null;
        boolean anyMatches = false;
        for (String record : records) {
            for (Pattern pattern : checks.failIfMatches()) {
                if (pattern.matcher(record).find()) {
                    return Optional.of(section + " record '" + record + "' matches fail_if_matches '" + pattern + "'");
                }
            }
            for (Pattern pattern : checks.failIfAllMatch()) {
                if (notAllMatch == null && !pattern.matcher(record).find()) {
                    notAllMatch = section + " record '" + record + "' does not match fail_if_all_match '" + pattern
                            + "', which every record must match";
                }
            }
            for (Pattern pattern : checks.failIfNotMatches()) {
                if (!pattern.matcher(record).find()) {
                    return Optional.of(section + " record '" + record + "' does not match fail_if_not_matches '"
                            + pattern + "'");
                }
            }
            for (Pattern pattern : checks.failIfNoneMatches()) {
                anyMatches |= pattern.matcher(record).find();
            }
        }
        if (notAllMatch != null) {
            return Optional.of(notAllMatch);
        }
        if (!checks.failIfNoneMatches().isEmpty() && !anyMatches) {
            return Optional.of("no " + section + " record matches fail_if_none_matches "
                    + quoted(checks.failIfNoneMatches(), " or ") + "; records: " + records.stream()
                            .map(record -> "'" + record + "'").collect(Collectors.joining(", ")));
        }
        return Optional.empty();
    }

    private static String quoted(List<Pattern> patterns, String conjunction) {
        return patterns.stream().map(pattern -> "'" + pattern + "'").collect(Collectors.joining(conjunction));
    }
}
