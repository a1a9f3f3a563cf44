package dev.vigil.collector.catalogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON that is also YAML, so that request bodies and the overlay file are read by the same
 * {@link dev.vigil.config.ConfigNode} readers as {@code collector.yaml}: one field per line (lists of plain
 * values on one line), and strings
 * with every character outside printable ASCII escaped as {@code \}{@code uXXXX} (YAML knows no {@code \/},
 * and folds some line separators that JSON keeps).
 */
final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * {@code value} (a JsonObject, JsonArray, String, Number, Boolean or null) as indented text; Vert.x
     * hands nested maps and lists out as JsonObject and JsonArray.
     */
    static String write(Object value) {
        StringBuilder text = new StringBuilder();
        write(text, value, 0);
        return text.append('\n').toString();
    }

    private static void write(StringBuilder text, Object value, int depth) {
        if (value instanceof JsonObject object) {
            writeObject(text, object, depth);
        } else if (value instanceof JsonArray array) {
            writeArray(text, array, depth);
        } else if (value instanceof CharSequence string) {
            writeString(text, string.toString());
        } else if (value == null || value instanceof Number || value instanceof Boolean) {
            text.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder text, JsonObject object, int depth) {
        if (object.isEmpty()) {
            text.append("{}");
            return;
        }
        text.append("{\n");
        Iterator<Map.Entry<String, Object>> entries = object.iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            indent(text, depth + 1);
            writeString(text, entry.getKey());
            text.append(": ");
            write(text, entry.getValue(), depth + 1);
            text.append(entries.hasNext() ? ",\n" : "\n");
        }
        indent(text, depth);
        text.append('}');
    }

    private static void writeArray(StringBuilder text, JsonArray array, int depth) {
        if (array.isEmpty()) {
            text.append("[]");
            return;
        }
        if (scalars(array)) {
            text.append('[');
            for (int i = 0; i < array.size(); i++) {
                write(text, array.getValue(i), depth);
                text.append(i + 1 < array.size() ? ", " : "");
            }
            text.append(']');
            return;
        }
        text.append("[\n");
        for (int i = 0; i < array.size(); i++) {
            indent(text, depth + 1);
            write(text, array.getValue(i), depth + 1);
            text.append(i + 1 < array.size() ? ",\n" : "\n");
        }
        indent(text, depth);
        text.append(']');
    }

    private static boolean scalars(JsonArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (array.getValue(i) instanceof JsonObject || array.getValue(i) instanceof JsonArray) {
                return false;
            }
        }
        return true;
    }

    private static void writeString(StringBuilder text, String string) {
        text.append('"');
        for (int i = 0; i < string.length(); i++) {
            char c = string.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        text.append('"');
    }

    private static void indent(StringBuilder text, int depth) {
        text.append("  ".repeat(depth));
    }
}
