package dev.vigil.collector.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One raw TCP connection to a collector, for requests no well-behaved client sends: trickled
 * bytes, oversized heads, bodies that stop halfway. Reads answers as text.
 */
final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RawHttp(int port) {
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The head of a POST to the ingest path with {@code token} and {@code extraHeaders} (CRLF-terminated lines). */
    static String ingestHead(String token, long contentLength, String extraHeaders) {
        return "POST " + IngestRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: application/vnd.vigil.batch\r\nContent-Length: " + contentLength + "\r\n"
                + extraHeaders + "\r\n";
    }

    /** Writes {@code bytes}; false when the collector has closed or reset the connection. */
    boolean write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean write(String text) {
        return write(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Everything the collector sends until it closes the connection or {@code within} passes without
     * a byte; a reset after an answer ends the text like a close.
     */
    String readUntilClosed(Duration within) {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            socket.setSoTimeout((int) within.toMillis());
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return received.toString(StandardCharsets.ISO_8859_1) + "<still open>";
        } catch (SocketException e) {
            // A reset: what arrived before it is the answer.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the collector has closed the connection: a read returns end of stream or a reset. */
    boolean closedByPeer(Duration within) {
        return !readUntilClosed(within).endsWith("<still open>");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
