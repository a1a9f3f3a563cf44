package dev.vigil.config.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The text of a TCP dialogue step's {@code send}, with references to the groups of the latest
 * {@code expect}'s match, read the way Go's {@code regexp.Expand} (and so blackbox_exporter) reads
 * them: {@code $1} or {@code ${1}} for a numbered group, {@code $name} or {@code ${name}} for a named
 * one, {@code $$} for a literal {@code $}. In the {@code $name} form the name is as long as possible
 * ({@code $1x} is group {@code 1x}); a {@code $} followed by no name is literal.
 *
 * <p>Unlike Go, a {@code ${} without its closing brace or with no valid name inside is an error
 * rather than literal text, and the configuration reader rejects references to groups the expect
 * does not have, where Go silently sends nothing in their place.
 */
public final class SendTemplate {
    private final List<Part> parts;

    private SendTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /**
     * One reference to a group of the match.
     *
     * @param group   the group's number ({@code 1}) or name ({@code host})
     * @param written how the text wrote it, e.g. {@code $1} or {@code ${host}}
     */
    public record Reference(String group, String written) {
        /** Whether the reference is to a group by number. */
        public boolean numbered() {
            return group.chars().allMatch(Character::isDigit);
        }
    }

    /** A literal piece of text or a reference; exactly one of the two is set. */
    private record Part(String literal, Reference reference) {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException when a {@code ${} has no closing brace or no valid name; the
     *                                  message completes "the send ..."
     */
    public static SendTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                literal.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                literal.append('$');
                i += 2;
                continue;
            }
            int nameStart;
            int nameEnd;
            int end;
            if (next == '{') {
                nameStart = i + 2;
                nameEnd = text.indexOf('}', nameStart);
                if (nameEnd < 0) {
                    throw new IllegalArgumentException("has '${' at index " + i + " without a closing '}'"
                            + " (write $$ for a literal $)");
                }
                end = nameEnd + 1;
                if (nameEnd == nameStart || !isName(text, nameStart, nameEnd)) {
                    throw new IllegalArgumentException("has '" + text.substring(i, end) + "' at index " + i
                            + ", which names no group; names are letters, digits and _ (write $$ for a literal $)");
                }
            } else {
                nameStart = i + 1;
                nameEnd = nameStart;
                while (nameEnd < text.length() && isNameChar(text.charAt(nameEnd))) {
                    nameEnd++;
                }
                end = nameEnd;
                if (nameEnd == nameStart) {
                    literal.append('$');
                    i++;
                    continue;
                }
            }
            if (literal.length() > 0) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(new Part(null, new Reference(text.substring(nameStart, nameEnd), text.substring(i, end))));
            i = end;
        }
        if (literal.length() > 0) {
            parts.add(new Part(literal.toString(), null));
        }
        return new SendTemplate(parts);
    }

    /** The references in the text, in order. */
    public List<Reference> references() {
        List<Reference> references = new ArrayList<>();
        for (Part part : parts) {
            if (part.reference() != null) {
                references.add(part.reference());
            }
        }
        return references;
    }

    /**
     * The text with each reference replaced by what that group of {@code match} captured; a group
     * that did not take part in the match, or that {@code match} (may be null) does not have, gives
     * the empty string, as in Go.
     */
    public String expand(Matcher match) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            if (part.reference() == null) {
                text.append(part.literal());
            } else if (match != null) {
                String captured = captured(match, part.reference());
                text.append(captured == null ? "" : captured);
            }
        }
        return text.toString();
    }

    private static String captured(Matcher match, Reference reference) {
        if (reference.numbered()) {
            // Digits only, but possibly more of them than an int holds: no such group then.
            if (reference.group().length() > 9) {
                return null;
            }
            int number = Integer.parseInt(reference.group());
            return number <= match.groupCount() ? match.group(number) : null;
        }
        try {
            return match.group(reference.group());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isName(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isNameChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
}
