package dev.vigil.agent.probe;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.config.check.JsonAssertion;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code expect_json} conditions of a check, applied to a response body: the body must be one
 * JSON document, and the value at each pointer must exist, equal a text or match an expression.
 */
final class JsonChecks {
    /** Configured once, then only read: shared by every check. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final int MAX_SHOWN_CHARS = 80;

    private final List<JsonAssertion> assertions;

    JsonChecks(List<JsonAssertion> assertions) {
        this.assertions = List.copyOf(assertions);
    }

    boolean isEmpty() {
        return assertions.isEmpty();
    }

    /** What is wrong with {@code body} (a JSON document in UTF-8, -16 or -32), or empty when every condition holds. */
    Optional<String> failure(byte[] body) {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            return Optional.of("body is not JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        } catch (IOException e) {
            return Optional.of("body is not JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            return Optional.of("body is empty, not JSON");
        }
        for (JsonAssertion assertion : assertions) {
            JsonNode value = root.at(JsonPointer.compile(assertion.pointer()));
            String at = "JSON at '" + assertion.pointer() + "'";
            if (value.isMissingNode()) {
                return Optional.of(at + " does not exist");
            }
            String text = value.isTextual() ? value.textValue() : value.toString();
            if (assertion.equalsText().isPresent() && !assertion.equalsText().get().equals(text)) {
                return Optional.of(at + " is " + shown(text) + ", expected " + shown(assertion.equalsText().get()));
            }
            Optional<Pattern> pattern = assertion.matches();
            if (pattern.isPresent() && !pattern.get().matcher(text).find()) {
                return Optional.of(at + " is " + shown(text) + ", which does not match /" + pattern.get() + "/");
            }
        }
        return Optional.empty();
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String shown(String text) {
        return "'" + (text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "…" : text) + "'";
    }
}
