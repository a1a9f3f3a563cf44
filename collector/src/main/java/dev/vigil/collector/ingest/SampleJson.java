package dev.vigil.collector.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the body of {@code POST /api/v1/samples} into samples, validating every field: a body with
 * any error is refused as a whole, with a message naming the element and the field, e.g.
 * {@code samples[3].time: must be ...}. Unknown fields, duplicate keys and wrong types are errors;
 * {@code null} is the same as an absent optional field.
 *
 * <pre>
 * {"samples": [{"check": "payments-api", "time": "2026-11-27T10:00:00Z", "success": true,
 *               "outcome": "ok", "latency_ms": 12.5, "phases": {"dns_ms": 1.2}, "status_code": 200,
 *               "detail": ""}]}
 * </pre>
 */
final class SampleJson {
    /** The most samples one request may carry. */
    static final int MAX_SAMPLES = 1000;
    /** The longest latency or phase accepted, in milliseconds: the top of the latency histograms (1 h). */
    static final long MAX_LATENCY_MILLIS = 3_600_000;
    /** A check id as an agent's: it is part of metric labels, URLs and incident keys. */
    static final Pattern CHECK_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final Set<String> TOP = Set.of("samples");
    private static final Set<String> FIELDS = Set.of("check", "time", "success", "outcome", "latency_ms", "duration",
            "phases", "status_code", "detail");
    private static final Set<String> PHASES = Set.of("dns_ms", "connect_ms", "tls_ms", "first_byte_ms");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s)");
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** JSON {@code null} in the tree, told apart from an absent key. */
    private static final Object NULL = new Object();
    private static final BigDecimal NANOS_PER_MILLI = BigDecimal.valueOf(1_000_000);

    /** A body refused as a whole; the message names where and what. */
    static final class InvalidSamples extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidSamples(String message) {
            super(message);
        }
    }

    private SampleJson() {
    }

    /**
     * The samples of {@code body}, in request order.
     *
     * @throws InvalidSamples when anything of it is malformed
     */
    static List<Sample> read(byte[] body) {
        Object root = parse(body);
        Map<String, Object> top = object(root, "body");
        rejectUnknown(top, TOP, "");
        Object list = top.get("samples");
        if (list == null || list == NULL) {
            throw new InvalidSamples("samples: is required, a list of samples");
        }
        if (!(list instanceof List<?> items)) {
            throw new InvalidSamples("samples: must be a list (was " + describe(list) + ")");
        }
        if (items.size() > MAX_SAMPLES) {
            throw new InvalidSamples("samples: at most " + MAX_SAMPLES + " samples per request (was " + items.size()
                    + "); split them into several requests");
        }
        List<Sample> samples = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            samples.add(sample(items.get(i), "samples[" + i + "]"));
        }
        return samples;
    }

    private static Sample sample(Object item, String at) {
        Map<String, Object> fields = object(item, at);
        rejectUnknown(fields, FIELDS, at + ".");
        String check = checkId(required(fields, "check", at), at + ".check");
        long scheduled = time(required(fields, "time", at), at + ".time");
        Outcome outcome = outcome(fields, at);
        Object latency = optional(fields, "latency_ms");
        Object duration = optional(fields, "duration");
        if (latency != null && duration != null) {
            throw new InvalidSamples(at + ": set latency_ms or duration, not both");
        }
        long totalNanos;
        if (latency != null) {
            totalNanos = millisAsNanos(latency, at + ".latency_ms");
        } else if (duration != null) {
            totalNanos = duration(duration, at + ".duration");
        } else if (outcome.isSuccess()) {
            throw new InvalidSamples(at + ": a successful sample needs latency_ms or duration");
        } else {
            totalNanos = 0;
        }
        long[] phases = phases(optional(fields, "phases"), at + ".phases");
        int statusCode = statusCode(optional(fields, "status_code"), at + ".status_code");
        String detail = detail(optional(fields, "detail"), at + ".detail");
        return new Sample(check, scheduled, 0, outcome, phases[0], phases[1], phases[2], phases[3], totalNanos,
                statusCode, detail);
    }

    private static String checkId(Object value, String at) {
        String text = string(value, at);
        if (!CHECK_ID.matcher(text).matches()) {
            throw new InvalidSamples(at + ": must be 1..128 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was "
                    + describe(value) + ")");
        }
        return text;
    }

    private static long time(Object value, String at) {
        if (value instanceof BigDecimal number) {
            if (!fitsLong(number) || !integral(number)) {
                throw new InvalidSamples(at + ": epoch milliseconds must be a whole number of milliseconds (was "
                        + describe(value) + ")");
            }
            return number.longValueExact();
        }
        if (value instanceof String text) {
            try {
                return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new InvalidSamples(at + ": must be an ISO-8601 time with an offset, e.g. 2026-11-27T10:00:00Z, "
                        + "or epoch milliseconds (was " + describe(value) + ")");
            }
        }
        throw new InvalidSamples(at + ": must be an ISO-8601 time string or epoch milliseconds (was "
                + describe(value) + ")");
    }

    private static Outcome outcome(Map<String, Object> fields, String at) {
        Object success = optional(fields, "success");
        Object label = optional(fields, "outcome");
        if (success != null && !(success instanceof Boolean)) {
            throw new InvalidSamples(at + ".success: must be true or false (was " + describe(success) + ")");
        }
        if (label == null) {
            if (success == null) {
                throw new InvalidSamples(at + ": must set success or outcome");
            }
            // A failure from a tool that names no reason: the check's own assertion failed.
            return (Boolean) success ? Outcome.OK : Outcome.ASSERTION_FAILED;
        }
        String text = string(label, at + ".outcome");
        Outcome outcome = null;
        String wanted = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Outcome candidate : Outcome.values()) {
            if (candidate.name().equals(wanted)) {
                outcome = candidate;
            }
        }
        if (outcome == null) {
            throw new InvalidSamples(at + ".outcome: must be one of " + String.join(", ", outcomeLabels())
                    + " (was " + describe(label) + ")");
        }
        if (!outcome.isMeasurement()) {
            throw new InvalidSamples(at + ".outcome: skipped is not a measurement; leave the run out instead");
        }
        if (success != null && (Boolean) success != outcome.isSuccess()) {
            throw new InvalidSamples(at + ".outcome: " + text + " is " + (outcome.isSuccess() ? "a success" : "a failure")
                    + " but success is " + success);
        }
        return outcome;
    }

    private static List<String> outcomeLabels() {
        return Arrays.stream(Outcome.values()).filter(Outcome::isMeasurement)
                .map(outcome -> outcome.name().toLowerCase(Locale.ROOT)).toList();
    }

    private static long millisAsNanos(Object value, String at) {
        if (!(value instanceof BigDecimal millis) || millis.signum() < 0
                || millis.compareTo(BigDecimal.valueOf(MAX_LATENCY_MILLIS)) > 0) {
            throw new InvalidSamples(at + ": must be a number of milliseconds from 0 to " + MAX_LATENCY_MILLIS
                    + " (was " + describe(value) + ")");
        }
        return millis.multiply(NANOS_PER_MILLI).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static long duration(Object value, String at) {
        String text = value instanceof String string ? string.trim().toLowerCase(Locale.ROOT) : null;
        Matcher matcher = text == null ? null : DURATION.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new InvalidSamples(at + ": must be a duration such as 12.5ms, 250us or 1.2s (was " + describe(value)
                    + ")");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        BigDecimal nanos = amount.multiply(BigDecimal.valueOf(switch (matcher.group(2)) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        }));
        if (nanos.compareTo(BigDecimal.valueOf(MAX_LATENCY_MILLIS).multiply(NANOS_PER_MILLI)) > 0) {
            throw new InvalidSamples(at + ": must be at most 1h (was " + describe(value) + ")");
        }
        return nanos.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static long[] phases(Object value, String at) {
        long[] nanos = {Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED};
        if (value == null) {
            return nanos;
        }
        Map<String, Object> phases = object(value, at);
        rejectUnknown(phases, PHASES, at + ".");
        String[] names = {"dns_ms", "connect_ms", "tls_ms", "first_byte_ms"};
        for (int i = 0; i < names.length; i++) {
            Object phase = optional(phases, names[i]);
            if (phase != null) {
                nanos[i] = millisAsNanos(phase, at + "." + names[i]);
            }
        }
        return nanos;
    }

    private static int statusCode(Object value, String at) {
        if (value == null) {
            return 0;
        }
        if (!(value instanceof BigDecimal number) || !integral(number) || number.signum() < 0
                || number.compareTo(BigDecimal.valueOf(65_535)) > 0) {
            throw new InvalidSamples(at + ": must be a whole number from 0 to 65535 (was " + describe(value) + ")");
        }
        return number.intValueExact();
    }

    private static String detail(Object value, String at) {
        if (value == null) {
            return "";
        }
        String text = string(value, at);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Sample.MAX_DETAIL_BYTES) {
            throw new InvalidSamples(at + ": must be at most " + Sample.MAX_DETAIL_BYTES + " bytes of UTF-8 (was "
                    + bytes + " bytes)");
        }
        return text;
    }

    private static Object required(Map<String, Object> fields, String key, String at) {
        Object value = optional(fields, key);
        if (value == null) {
            throw new InvalidSamples(at + "." + key + ": is required");
        }
        return value;
    }

    private static Object optional(Map<String, Object> fields, String key) {
        Object value = fields.get(key);
        return value == NULL ? null : value;
    }

    private static String string(Object value, String at) {
        if (!(value instanceof String text)) {
            throw new InvalidSamples(at + ": must be a string (was " + describe(value) + ")");
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String at) {
        if (!(value instanceof Map<?, ?>)) {
            throw new InvalidSamples(at + ": must be an object (was " + describe(value) + ")");
        }
        return (Map<String, Object>) value;
    }

    private static void rejectUnknown(Map<String, Object> fields, Set<String> known, String prefix) {
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw new InvalidSamples(prefix + key + ": unknown field (known: " + String.join(", ",
                        new TreeSet<>(known)) + ")");
            }
        }
    }

    private static boolean fitsLong(BigDecimal number) {
        return number.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
                && number.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }

    private static boolean integral(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    /** A value as the sender wrote it, short: quoted strings cut to 40 characters. */
    private static String describe(Object value) {
        if (value == null || value == NULL) {
            return "null";
        }
        if (value instanceof String text) {
            return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof BigDecimal number) {
            String text = number.toString();
            return text.length() > 40 ? text.substring(0, 40) + "..." : text;
        }
        return value.toString();
    }

    private static Object parse(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidSamples("body: is empty; expected {\"samples\": [...]}");
            }
            Object root = value(parser, first);
            if (parser.nextToken() != null) {
                throw new InvalidSamples("body: has more after the JSON value at line "
                        + parser.currentTokenLocation().getLineNr() + ", column "
                        + parser.currentTokenLocation().getColumnNr());
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new InvalidSamples("body: is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidSamples("body: cannot be read: " + e.getMessage());
        }
    }

    private static Object value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> fields = new LinkedHashMap<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_OBJECT; next = parser.nextToken()) {
                    String name = parser.currentName();
                    fields.put(name, value(parser, parser.nextToken()));
                }
                yield fields;
            }
            case START_ARRAY -> {
                List<Object> items = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    items.add(value(parser, next));
                }
                yield items;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> NULL;
            default -> throw new InvalidSamples("body: unexpected " + token + " at line "
                    + parser.currentLocation().getLineNr());
        };
    }
}
