package dev.vigil.testsupport.dns;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the names of one DNS message with compression (RFC 1035 §4.1.4): a name, or its tail, that
 * was written before becomes a pointer to it. Offsets count from the message's first byte.
 */
final class DnsMessageWriter {
    private static final int MAX_POINTER = 0x3fff;

    private final int messageStart;
    private final Map<String, Integer> offsets = new HashMap<>();

    DnsMessageWriter(int messageStart) {
        this.messageStart = messageStart;
    }

    void writeName(String name, ByteBuf out) {
        String[] labels = labels(name);
        for (int i = 0; i < labels.length; i++) {
            String tail = String.join(".", Arrays.copyOfRange(labels, i, labels.length))
                    .toLowerCase(Locale.ROOT);
            Integer earlier = offsets.get(tail);
            if (earlier != null) {
                out.writeShort(0xc000 | earlier);
                return;
            }
            int offset = out.writerIndex() - messageStart;
            if (offset <= MAX_POINTER) {
                offsets.put(tail, offset);
            }
            writeLabel(labels[i], out);
        }
        out.writeByte(0);
    }

    static void writeUncompressedName(String name, ByteBuf out) {
        for (String label : labels(name)) {
            writeLabel(label, out);
        }
        out.writeByte(0);
    }

    private static void writeLabel(String label, ByteBuf out) {
        byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
        out.writeByte(bytes.length);
        out.writeBytes(bytes);
    }

    private static String[] labels(String name) {
        String bare = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return bare.isEmpty() ? new String[0] : bare.split("\\.");
    }
}
