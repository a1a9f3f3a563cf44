package dev.vigil.testsupport.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Map;
import java.util.Optional;

/**
 * JSON as the receivers of this package read request bodies and write answers, through Jackson: objects
 * become {@code Map<String, Object>} (in order), arrays {@code List<Object>}, whole numbers
 * {@code Integer}, {@code Long} or {@code BigInteger}, other numbers {@code BigDecimal} (so a value is
 * shown as sent), and {@code true}, {@code false}, {@code null} their Java values. Writing takes the same
 * types back.
 */
public final class ReceivedJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A body with text after its value is not JSON to the real tools either.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private ReceivedJson() {
    }

    /**
     * Reads one JSON value that is all of {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, without Jackson's source location
     */
    public static Object parse(String text) {
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /** Reads a JSON object, or fails as {@link #parse} does (also when the value is not an object). */
    public static Map<String, Object> parseObject(String text) {
        return object(parse(text));
    }

    /**
     * {@code value}, a parsed JSON value, as an object.
     *
     * @throws IllegalArgumentException when it is not one
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("not a JSON object");
        }
        // Jackson reads every object key as a String.
        return (Map<String, Object>) value;
    }

    /** {@code text} as a JSON object, or empty when it is not JSON or not an object. */
    public static Optional<Map<String, Object>> objectIn(String text) {
        try {
            return Optional.of(parseObject(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code value} (maps, lists, strings, numbers, booleans, null) as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
