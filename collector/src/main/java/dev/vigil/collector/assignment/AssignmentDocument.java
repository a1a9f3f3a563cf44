package dev.vigil.collector.assignment;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one agent is sent: its checks as JSON with the field names of the YAML they were written in,
 * and a version that changes exactly when they do.
 *
 * <pre>{@code
 * {
 *   "agent" : "edge-1",
 *   "version" : "4f9a0c2e7b1d3a65",
 *   "checks" : [ { "id" : "web", "type" : "http", "url" : "https://shop.example/health" } ]
 * }
 * }</pre>
 *
 * @param agent   the agent's name
 * @param version 16 hexadecimal digits: the start of the SHA-256 of the checks' compact JSON, so equal
 *                checks in the same order give the same version on every collector and after a restart
 * @param json    the document, pretty-printed so that an agent's error names a useful line
 */
public record AssignmentDocument(String agent, String version, String json) {
    /** The shape of a version. */
    public static final Pattern VERSION = Pattern.compile("[0-9a-f]{16}");

    /** Requires every part and a well-formed version. */
    public AssignmentDocument {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(json, "json");
        if (!VERSION.matcher(Objects.requireNonNull(version, "version")).matches()) {
            throw new IllegalArgumentException("version must be 16 hexadecimal digits (was '" + version + "')");
        }
    }

    /** The document for {@code agent} running {@code checks}. */
    public static AssignmentDocument of(String agent, List<AssignedCheck> checks) {
        JsonArray definitions = new JsonArray();
        for (AssignedCheck check : checks) {
            definitions.add(new JsonObject(check.definition()));
        }
        String version = version(definitions.encode());
        String json = new JsonObject()
                .put("agent", agent)
                .put("version", version)
                .put("checks", definitions)
                .encodePrettily();
        return new AssignmentDocument(agent, version, json + "\n");
    }

    /** The strong entity tag of this document, {@code "<version>"}. */
    public String entityTag() {
        return "\"" + version + "\"";
    }

    private static String version(String checksJson) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(checksJson.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
