package dev.vigil.protocol;

import java.nio.charset.StandardCharsets;

/** UTF-8 lengths and cuts that never split a character. Package-private: used by the codecs. */
final class Utf8 {
    private Utf8() {
    }

    static int length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate: String.getBytes(UTF_8), which the codecs write with, puts '?' there. Counting
                // 3 made a sample's length prefix overstate its bytes and the rest of its batch unreadable.
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    static String truncate(String text, int maxBytes) {
        if (length(text) <= maxBytes) {
            return text;
        }
        byte[] encoded = text.getBytes(StandardCharsets.UTF_8);
        int end = maxBytes;
        // Step back over continuation bytes (10xxxxxx) so the cut falls on a character boundary.
        while (end > 0 && (encoded[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(encoded, 0, end, StandardCharsets.UTF_8);
    }
}
