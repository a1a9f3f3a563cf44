package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary form of an {@link Evidence}, carried after a failing {@link Sample}'s detail on the wire and
 * in both journals. Tagged fields, so a collector skips what a newer agent adds:
 *
 * <pre>
 * version u8 = {@value #VERSION}
 * then fields in any order, each: tag u8, length uv, that many bytes
 *   1 remoteAddress  UTF-8
 *   2 statusLine     UTF-8
 *   3 header         name (uv length + UTF-8), value (uv length + UTF-8); repeated, in order
 *   4 body           UTF-8
 *   5 bodyTruncated  no bytes: present means true
 *   6 dnsAnswer      UTF-8; repeated, in order
 *   7 certificate    subject (uv length + UTF-8), issuer (uv length + UTF-8), notBefore zz, notAfter zz,
 *                    sha256 32 bytes; repeated, leaf first
 *   8 error          UTF-8
 * </pre>
 *
 * Empty texts and a false flag are left out, so an evidence with only an error takes a few bytes.
 */
public final class EvidenceCodec {
    /** The layout version written first. */
    public static final int VERSION = 1;

    private static final int REMOTE_ADDRESS = 1;
    private static final int STATUS_LINE = 2;
    private static final int HEADER = 3;
    private static final int BODY = 4;
    private static final int BODY_TRUNCATED = 5;
    private static final int DNS_ANSWER = 6;
    private static final int CERTIFICATE = 7;
    private static final int ERROR = 8;
    private static final int SHA256_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private EvidenceCodec() {
    }

    /** The number of bytes {@link #write} uses for {@code evidence}. */
    public static int encodedLength(Evidence evidence) {
        return encodedLength(evidence.remoteAddress(), evidence.statusLine(), evidence.headers(), evidence.body(),
                evidence.bodyTruncated(), evidence.dnsAnswers(), evidence.tlsChain(), evidence.error());
    }

    static int encodedLength(String remoteAddress, String statusLine, List<Evidence.Header> headers, String body,
            boolean bodyTruncated, List<String> dnsAnswers, List<Evidence.Certificate> tlsChain, String error) {
        int length = 1 + text(remoteAddress) + text(statusLine) + text(body) + text(error) + (bodyTruncated ? 2 : 0);
        for (Evidence.Header header : headers) {
            length += field(string(header.name()) + string(header.value()));
        }
        for (String answer : dnsAnswers) {
            length += text(answer);
        }
        for (Evidence.Certificate certificate : tlsChain) {
            length += field(certificateBytes(certificate));
        }
        return length;
    }

    /** Writes {@code evidence} at the buffer's position, advancing it. */
    public static void write(Evidence evidence, ByteBuffer out) {
        out.put((byte) VERSION);
        writeText(REMOTE_ADDRESS, evidence.remoteAddress(), out);
        writeText(STATUS_LINE, evidence.statusLine(), out);
        for (Evidence.Header header : evidence.headers()) {
            out.put((byte) HEADER);
            Varint.write(string(header.name()) + string(header.value()), out);
            writeString(header.name(), out);
            writeString(header.value(), out);
        }
        writeText(BODY, evidence.body(), out);
        if (evidence.bodyTruncated()) {
            out.put((byte) BODY_TRUNCATED);
            Varint.write(0, out);
        }
        for (String answer : evidence.dnsAnswers()) {
            writeText(DNS_ANSWER, answer, out);
        }
        for (Evidence.Certificate certificate : evidence.tlsChain()) {
            out.put((byte) CERTIFICATE);
            Varint.write(certificateBytes(certificate), out);
            writeString(certificate.subject(), out);
            writeString(certificate.issuer(), out);
            Varint.write(Varint.zigzag(certificate.notBeforeEpochMillis()), out);
            Varint.write(Varint.zigzag(certificate.notAfterEpochMillis()), out);
            out.put(HEX.parseHex(certificate.sha256()));
        }
        writeText(ERROR, evidence.error(), out);
    }

    /**
     * Reads one evidence from the buffer's position to its limit.
     *
     * @throws ProtocolException naming the field and byte offset when the bytes are not an evidence
     */
    public static Evidence read(ByteBuffer in) {
        int start = in.position();
        String field = "version";
        try {
            int version = in.get() & 0xFF;
            if (version != VERSION) {
                throw new ProtocolException("unknown evidence version " + version);
            }
            String remoteAddress = "";
            String statusLine = "";
            List<Evidence.Header> headers = new ArrayList<>();
            String body = "";
            boolean bodyTruncated = false;
            List<String> dnsAnswers = new ArrayList<>();
            List<Evidence.Certificate> chain = new ArrayList<>();
            String error = "";
            while (in.hasRemaining()) {
                int tag = in.get() & 0xFF;
                field = "field " + tag;
                long length = Varint.read(in);
                if (Long.compareUnsigned(length, in.remaining()) > 0) {
                    throw new BufferUnderflowException();
                }
                ByteBuffer value = in.duplicate().limit(in.position() + (int) length);
                in.position(in.position() + (int) length);
                switch (tag) {
                    case REMOTE_ADDRESS -> {
                        field = "remoteAddress";
                        remoteAddress = rest(value);
                    }
                    case STATUS_LINE -> {
                        field = "statusLine";
                        statusLine = rest(value);
                    }
                    case HEADER -> {
                        field = "header " + headers.size();
                        headers.add(new Evidence.Header(readString(value), readString(value)));
                    }
                    case BODY -> {
                        field = "body";
                        body = rest(value);
                    }
                    case BODY_TRUNCATED -> bodyTruncated = true;
                    case DNS_ANSWER -> {
                        field = "dnsAnswer " + dnsAnswers.size();
                        dnsAnswers.add(rest(value));
                    }
                    case CERTIFICATE -> {
                        field = "certificate " + chain.size();
                        String subject = readString(value);
                        String issuer = readString(value);
                        long notBefore = Varint.unzigzag(Varint.read(value));
                        long notAfter = Varint.unzigzag(Varint.read(value));
                        byte[] sha256 = new byte[SHA256_BYTES];
                        value.get(sha256);
                        chain.add(new Evidence.Certificate(subject, issuer, notBefore, notAfter, HEX.formatHex(sha256)));
                    }
                    case ERROR -> {
                        field = "error";
                        error = rest(value);
                    }
                    default -> {
                        // A field from a newer agent: skipped, the rest is still read.
                    }
                }
                if (tag >= REMOTE_ADDRESS && tag <= ERROR && value.hasRemaining()) {
                    throw new ProtocolException(value.remaining() + " bytes left inside the field");
                }
            }
            field = "evidence";
            return new Evidence(remoteAddress, statusLine, headers, body, bodyTruncated, dnsAnswers, chain, error);
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated evidence: " + field + " runs past the end at byte " + in.position()
                    + " (evidence starts at byte " + start + ")");
        } catch (IllegalArgumentException | ProtocolException e) {
            throw new ProtocolException("invalid " + field + " in evidence at byte " + start + ": " + e.getMessage());
        }
    }

    private static int text(String text) {
        return text.isEmpty() ? 0 : field(Utf8.length(text));
    }

    private static int field(int valueBytes) {
        return 1 + Varint.length(valueBytes) + valueBytes;
    }

    private static int string(String text) {
        int bytes = Utf8.length(text);
        return Varint.length(bytes) + bytes;
    }

    private static int certificateBytes(Evidence.Certificate certificate) {
        return string(certificate.subject()) + string(certificate.issuer())
                + Varint.length(Varint.zigzag(certificate.notBeforeEpochMillis()))
                + Varint.length(Varint.zigzag(certificate.notAfterEpochMillis())) + SHA256_BYTES;
    }

    private static void writeText(int tag, String text, ByteBuffer out) {
        if (text.isEmpty()) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.put((byte) tag);
        Varint.write(bytes.length, out);
        out.put(bytes);
    }

    private static void writeString(String text, ByteBuffer out) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Varint.write(bytes.length, out);
        out.put(bytes);
    }

    private static String rest(ByteBuffer value) {
        String text = new String(value.array(), value.arrayOffset() + value.position(), value.remaining(),
                StandardCharsets.UTF_8);
        value.position(value.limit());
        return text;
    }

    private static String readString(ByteBuffer in) {
        long length = Varint.read(in);
        if (Long.compareUnsigned(length, in.remaining()) > 0) {
            throw new BufferUnderflowException();
        }
        String text = new String(in.array(), in.arrayOffset() + in.position(), (int) length, StandardCharsets.UTF_8);
        in.position(in.position() + (int) length);
        return text;
    }
}
