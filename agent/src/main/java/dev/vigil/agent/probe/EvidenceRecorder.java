package dev.vigil.agent.probe;

import dev.vigil.protocol.Evidence;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The raw material of one run's failure evidence, noted as the run goes and turned into an
 * {@link Evidence} only when the run fails.
 *
 * <p>Only failures pay: while the run goes, this keeps references to what the probe already holds
 * (the address it connects to, the response head, the chain the handshake returned, the exception
 * that ended the run) and copies nothing; the only bytes it copies are those of a body read after the
 * run already failed on its head. Texts, redaction and fingerprints are made in {@link #build}, and a
 * bug there costs the evidence, never the sample ({@link #build} returns empty instead of throwing).
 *
 * <p>Confined to the run's event loop, like its {@link ProbeRun}.
 */
final class EvidenceRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceRecorder.class);
    /**
     * Body bytes read beyond those shown, so that a secret cut by the limit is still whole when the
     * body is redacted (the text is cut to the limit after redaction).
     */
    private static final int REDACTION_MARGIN_BYTES = 256;
    /** How much of an exception chain the error text walks. */
    private static final int MAX_CAUSES = 8;

    private final EvidenceCapture capture;
    private SocketAddress remote;
    private HttpResponse head;
    private boolean http2;
    private HttpHeaders headers;
    private byte[] body = new byte[0];
    private int bodyLength;
    private boolean bodyTruncated;
    private List<String> dnsAnswers = List.of();
    private List<X509Certificate> chain = List.of();
    private Throwable failure;

    EvidenceRecorder(EvidenceCapture capture) {
        this.capture = capture;
    }

    /** Whether a failed run captures evidence at all. */
    boolean enabled() {
        return capture.enabled();
    }

    /** Whether a run failed on its response head should read some of the body for its evidence. */
    boolean wantsBody() {
        return capture.enabled() && capture.bodyBytes() > 0;
    }

    /** The address the run talks to now (each hop of a redirect replaces it). */
    void remote(SocketAddress address) {
        remote = address;
    }

    /** The response head that arrived, its headers as they came on the wire, and whether it came over HTTP/2. */
    void response(HttpResponse response, HttpHeaders wireHeaders, boolean overHttp2) {
        head = response;
        headers = wireHeaders;
        http2 = overHttp2;
        body = new byte[0];
        bodyLength = 0;
        bodyTruncated = false;
    }

    /**
     * Keeps the next bytes of a body read for evidence (not released here).
     *
     * @return true once more than the kept bytes arrived: the rest need not be read
     */
    boolean bodyChunk(ByteBuf content) {
        int limit = capture.bodyBytes() + REDACTION_MARGIN_BYTES;
        if (body.length == 0) {
            body = new byte[limit];
        }
        int take = Math.min(content.readableBytes(), limit - bodyLength);
        content.getBytes(content.readerIndex(), body, bodyLength, take);
        bodyLength += take;
        bodyTruncated = bodyLength > capture.bodyBytes();
        return bodyLength == limit;
    }

    /** The body as a body check already kept it (whole), of which the first bytes are shown. */
    void keptBody(byte[] whole, long receivedBytes) {
        body = whole;
        bodyLength = Math.min(whole.length, capture.bodyBytes() + REDACTION_MARGIN_BYTES);
        bodyTruncated = whole.length > capture.bodyBytes() || receivedBytes > capture.bodyBytes();
    }

    /** The DNS answer as received: its response code (named) and records, in zone-file form. */
    void dns(String rcode, String server, List<String> records) {
        List<String> answers = new ArrayList<>(records.size() + 1);
        answers.add("rcode " + rcode + " from " + server);
        for (String record : records) {
            answers.add(record.replace('\t', ' '));
        }
        dnsAnswers = answers;
    }

    /** The chain the server presented, leaf first. */
    void chain(List<X509Certificate> presented) {
        chain = presented;
    }

    /** The exception that ended (or is about to end) the run. */
    void failure(Throwable cause) {
        failure = cause;
    }

    /**
     * The evidence of a run that failed with {@code detail}: redacted and bounded, or empty when
     * capture is disabled or building it failed.
     */
    Optional<Evidence> build(String detail) {
        if (!capture.enabled()) {
            return Optional.empty();
        }
        try {
            return Optional.of(evidence(detail));
        } catch (RuntimeException e) {
            LOG.warn("Could not build the failure evidence of a run that failed with '{}'; the sample goes without",
                    detail, e);
            return Optional.empty();
        }
    }

    private Evidence evidence(String detail) {
        EvidenceRedactor redactor = capture.redactor();
        List<Evidence.Header> shownHeaders = new ArrayList<>();
        if (head != null && headers != null) {
            for (Map.Entry<String, String> header : headers) {
                if (shownHeaders.size() == Evidence.MAX_HEADERS) {
                    break;
                }
                shownHeaders.add(Evidence.header(header.getKey(),
                        redactor.header(header.getKey(), header.getValue())));
            }
        }
        List<String> answers = new ArrayList<>(dnsAnswers.size());
        for (String answer : dnsAnswers) {
            answers.add(redactor.text(answer));
        }
        List<X509Certificate> shownChain = chain.isEmpty() ? refusedChain() : chain;
        List<Evidence.Certificate> certificates = new ArrayList<>(shownChain.size());
        for (X509Certificate certificate : shownChain) {
            if (certificates.size() == Evidence.MAX_CERTIFICATES) {
                break;
            }
            certificates.add(Evidence.certificate(certificate.getSubjectX500Principal().getName(),
                    certificate.getIssuerX500Principal().getName(), certificate.getNotBefore().getTime(),
                    certificate.getNotAfter().getTime(), sha256(certificate)));
        }
        String redactedBody = redactor.text(bodyText());
        String shownBody = Evidence.cut(redactedBody, capture.bodyBytes());
        return Evidence.bounded(redactor.text(remoteText()), redactor.text(statusLine()), shownHeaders, shownBody,
                bodyTruncated || shownBody.length() < redactedBody.length(), answers, certificates,
                redactor.text(errorText(detail)));
    }

    private String remoteText() {
        if (remote instanceof InetSocketAddress address) {
            String host = address.isUnresolved() ? address.getHostString() : address.getAddress().getHostAddress();
            // ICMP has no port: its address comes with port 0.
            return address.getPort() == 0 ? host : ProbeRun.target(host, address.getPort());
        }
        return remote == null ? "" : remote.toString();
    }

    private String statusLine() {
        if (head == null) {
            return "";
        }
        String version = http2 ? SpokenVersion.HTTP_2.label() : SpokenVersion.of(head.protocolVersion()).label();
        String reason = http2 ? "" : head.status().reasonPhrase();
        return version + " " + head.status().code() + (reason.isEmpty() ? "" : " " + reason);
    }

    /** The kept body as text; bytes that are not UTF-8 (or a character cut at the end) become U+FFFD. */
    private String bodyText() {
        if (bodyLength == 0) {
            return "";
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(body, 0, bodyLength)).toString();
        } catch (CharacterCodingException e) {
            // REPLACE never throws; kept for the checked signature.
            return new String(body, 0, bodyLength, StandardCharsets.UTF_8);
        }
    }

    /** The run's detail, then each exception of the chain that ended it, class and message. */
    private String errorText(String detail) {
        StringBuilder text = new StringBuilder(detail);
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
            text.append(depth == 0 ? "\n" : "\ncaused by: ").append(cause.getClass().getName());
            if (cause.getMessage() != null) {
                text.append(": ").append(cause.getMessage());
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return text.toString();
    }

    /** The chain a handshake refused, carried by the trust manager's exception in the failure's causes. */
    private List<X509Certificate> refusedChain() {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth < MAX_CAUSES; cause = cause.getCause(), depth++) {
            if (cause instanceof ExplainingTrustManager.RefusedChainException refused) {
                return refused.chain();
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return List.of();
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // Every JVM has SHA-256, and a certificate a server presented has an encoding.
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }
}
