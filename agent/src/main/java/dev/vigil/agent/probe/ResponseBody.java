package dev.vigil.agent.probe;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.net.URI;

/**
 * The body of the final response as it arrives: counted always, kept only when a body check needs
 * it, and never beyond what is needed. Without body checks nothing is kept, so a check of a large
 * download holds no memory for it; with body checks at most {@link #MAX_EXAMINED_BYTES} are kept
 * (or {@code body_size_limit}, if smaller) and a longer body fails the run.
 */
final class ResponseBody {
    /** The most body bytes that body_must_match, body_must_not_match and expect_json examine: 10 MiB. */
    static final int MAX_EXAMINED_BYTES = 10 << 20;

    private final long limitBytes;
    private final boolean examined;
    private final ByteArrayOutputStream kept;
    private long bytes;

    /**
     * A body that may be at most {@code limitBytes} long (0: no limit), kept for examination when
     * {@code examined}.
     */
    ResponseBody(long limitBytes, boolean examined) {
        this.limitBytes = limitBytes;
        this.examined = examined;
        this.kept = examined ? new ByteArrayOutputStream() : null;
    }

    /**
     * Counts {@code content} (not released here) and keeps a copy when the body is examined.
     *
     * @return false once the body is longer than allowed: the rest need not be read
     */
    boolean add(ByteBuf content) {
        int length = content.readableBytes();
        bytes += length;
        if (tooLarge()) {
            return false;
        }
        if (examined && length > 0) {
            byte[] copy = new byte[length];
            content.getBytes(content.readerIndex(), copy);
            kept.write(copy, 0, length);
        }
        return true;
    }

    private boolean tooLarge() {
        return limitBytes > 0 && bytes > limitBytes || examined && bytes > MAX_EXAMINED_BYTES;
    }

    /** The body bytes received so far (after decompression). */
    long bytes() {
        return bytes;
    }

    /** The body as kept, empty when it is not examined. */
    byte[] kept() {
        return examined ? kept.toByteArray() : new byte[0];
    }

    /** Why the body of {@code url} is too large. */
    String tooLargeDetail(URI url) {
        if (limitBytes > 0 && bytes > limitBytes) {
            return "body of " + url + " is longer than body_size_limit " + limitBytes + " bytes";
        }
        return "body of " + url + " is longer than the " + MAX_EXAMINED_BYTES + " bytes (10 MiB) that "
                + "body_must_match, body_must_not_match and expect_json examine";
    }
}
