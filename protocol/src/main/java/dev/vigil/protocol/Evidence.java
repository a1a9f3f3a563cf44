package dev.vigil.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an engineer looks at first when a check fails: the address the probe talked to, the response's
 * status line, headers and first bytes of body, the DNS answers, the TLS chain presented and the full
 * error text. The agent captures it from the failing run's own exchange, redacts it and bounds it to
 * {@value #MAX_ENCODED_BYTES} encoded bytes before it is journaled; the phase timings travel in the
 * {@link Sample} itself.
 *
 * @param remoteAddress the address the probe talked to, e.g. {@code 127.0.0.1:8443}; empty when none
 * @param statusLine    the response's status line, e.g. {@code HTTP/1.1 503 Service Unavailable}; empty when none
 * @param headers       the response headers in order, already redacted
 * @param body          the first bytes of the response body as text; empty when none
 * @param bodyTruncated whether the body was longer than what is kept
 * @param dnsAnswers    the answers or response code the resolver gave, one per line
 * @param tlsChain      the certificates the server presented, leaf first
 * @param error         the full error text; empty when none
 */
public record Evidence(
        String remoteAddress,
        String statusLine,
        List<Header> headers,
        String body,
        boolean bodyTruncated,
        List<String> dnsAnswers,
        List<Certificate> tlsChain,
        String error) {

    /** The most bytes an evidence takes in its encoded form (see {@link EvidenceCodec}). */
    public static final int MAX_ENCODED_BYTES = 4096;
    /** The longest remote address, in UTF-8 bytes. */
    public static final int MAX_ADDRESS_BYTES = 100;
    /** The longest status line, in UTF-8 bytes. */
    public static final int MAX_STATUS_LINE_BYTES = 200;
    /** The most headers kept. */
    public static final int MAX_HEADERS = 32;
    /** The longest header name, in UTF-8 bytes. */
    public static final int MAX_HEADER_NAME_BYTES = 100;
    /** The longest header value, in UTF-8 bytes. */
    public static final int MAX_HEADER_VALUE_BYTES = 512;
    /** The longest body kept, in UTF-8 bytes. */
    public static final int MAX_BODY_BYTES = 2048;
    /** The most DNS answer lines kept. */
    public static final int MAX_DNS_ANSWERS = 16;
    /** The longest DNS answer line, in UTF-8 bytes. */
    public static final int MAX_DNS_ANSWER_BYTES = 200;
    /** The most certificates kept. */
    public static final int MAX_CERTIFICATES = 5;
    /** The longest certificate subject or issuer, in UTF-8 bytes. */
    public static final int MAX_NAME_BYTES = 300;
    /** The length of a certificate's fingerprint: SHA-256 in lower-case hex. */
    public static final int SHA256_HEX_CHARS = 64;
    /** The longest error text, in UTF-8 bytes. */
    public static final int MAX_ERROR_BYTES = 1024;

    /**
     * One response header.
     *
     * @param name  the header's name as received, 1..{@value #MAX_HEADER_NAME_BYTES} bytes
     * @param value its value, at most {@value #MAX_HEADER_VALUE_BYTES} bytes
     */
    public record Header(String name, String value) {
        /** Validates the bounds. */
        public Header {
            requireText("header name", name, MAX_HEADER_NAME_BYTES);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header name must not be empty");
            }
            requireText("header '" + name + "' value", value, MAX_HEADER_VALUE_BYTES);
        }

        static Header cut(String name, String value) {
            String cutName = Utf8.truncate(name == null || name.isEmpty() ? "?" : name, MAX_HEADER_NAME_BYTES);
            return new Header(cutName, Utf8.truncate(value == null ? "" : value, MAX_HEADER_VALUE_BYTES));
        }
    }

    /**
     * One certificate of the chain a TLS server presented.
     *
     * @param subject              its subject distinguished name
     * @param issuer               its issuer distinguished name
     * @param notBeforeEpochMillis start of its validity
     * @param notAfterEpochMillis  end of its validity
     * @param sha256               the SHA-256 of its DER encoding, 64 lower-case hex digits
     */
    public record Certificate(String subject, String issuer, long notBeforeEpochMillis, long notAfterEpochMillis,
            String sha256) {
        /** Validates the bounds and the fingerprint's form. */
        public Certificate {
            requireText("certificate subject", subject, MAX_NAME_BYTES);
            requireText("certificate issuer", issuer, MAX_NAME_BYTES);
            Objects.requireNonNull(sha256, "sha256");
            if (sha256.length() != SHA256_HEX_CHARS || !sha256.chars().allMatch(Evidence::isLowerHex)) {
                throw new IllegalArgumentException("certificate sha256 must be 64 lower-case hex digits (was '"
                        + Utf8.truncate(sha256, 80) + "')");
            }
        }

        static Certificate cut(String subject, String issuer, long notBefore, long notAfter, String sha256) {
            return new Certificate(Utf8.truncate(subject == null ? "" : subject, MAX_NAME_BYTES),
                    Utf8.truncate(issuer == null ? "" : issuer, MAX_NAME_BYTES), notBefore, notAfter, sha256);
        }
    }

    /** Validates every bound, including the encoded total; the message names the field. */
    public Evidence {
        requireText("remoteAddress", remoteAddress, MAX_ADDRESS_BYTES);
        requireText("statusLine", statusLine, MAX_STATUS_LINE_BYTES);
        headers = List.copyOf(Objects.requireNonNull(headers, "headers"));
        if (headers.size() > MAX_HEADERS) {
            throw new IllegalArgumentException("at most " + MAX_HEADERS + " headers (was " + headers.size() + ")");
        }
        requireText("body", body, MAX_BODY_BYTES);
        dnsAnswers = List.copyOf(Objects.requireNonNull(dnsAnswers, "dnsAnswers"));
        if (dnsAnswers.size() > MAX_DNS_ANSWERS) {
            throw new IllegalArgumentException("at most " + MAX_DNS_ANSWERS + " DNS answers (was "
                    + dnsAnswers.size() + ")");
        }
        for (String answer : dnsAnswers) {
            requireText("DNS answer", answer, MAX_DNS_ANSWER_BYTES);
        }
        tlsChain = List.copyOf(Objects.requireNonNull(tlsChain, "tlsChain"));
        if (tlsChain.size() > MAX_CERTIFICATES) {
            throw new IllegalArgumentException("at most " + MAX_CERTIFICATES + " certificates (was "
                    + tlsChain.size() + ")");
        }
        requireText("error", error, MAX_ERROR_BYTES);
        int encoded = EvidenceCodec.encodedLength(remoteAddress, statusLine, headers, body, bodyTruncated, dnsAnswers,
                tlsChain, error);
        if (encoded > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException("evidence must encode to at most " + MAX_ENCODED_BYTES
                    + " bytes (was " + encoded + "): build it with Evidence.bounded");
        }
    }

    /** Whether there is nothing in it. */
    public boolean isEmpty() {
        return remoteAddress.isEmpty() && statusLine.isEmpty() && headers.isEmpty() && body.isEmpty()
                && dnsAnswers.isEmpty() && tlsChain.isEmpty() && error.isEmpty();
    }

    /**
     * The same fields cut to the per-field bounds and then to {@value #MAX_ENCODED_BYTES} encoded bytes,
     * giving up the body first, then headers from the end, then DNS answers and certificates from the
     * end. Null texts and lists count as empty. Never throws for long input.
     */
    public static Evidence bounded(String remoteAddress, String statusLine, List<Header> headers, String body,
            boolean bodyTruncated, List<String> dnsAnswers, List<Certificate> tlsChain, String error) {
        String address = cut(remoteAddress, MAX_ADDRESS_BYTES);
        String status = cut(statusLine, MAX_STATUS_LINE_BYTES);
        List<Header> keptHeaders = new ArrayList<>();
        if (headers != null) {
            for (Header header : headers) {
                if (keptHeaders.size() == MAX_HEADERS) {
                    break;
                }
                keptHeaders.add(header);
            }
        }
        String keptBody = body == null ? "" : body;
        boolean truncated = bodyTruncated;
        if (Utf8.length(keptBody) > MAX_BODY_BYTES) {
            keptBody = Utf8.truncate(keptBody, MAX_BODY_BYTES);
            truncated = true;
        }
        List<String> answers = new ArrayList<>();
        if (dnsAnswers != null) {
            for (String answer : dnsAnswers) {
                if (answers.size() == MAX_DNS_ANSWERS) {
                    break;
                }
                answers.add(cut(answer, MAX_DNS_ANSWER_BYTES));
            }
        }
        List<Certificate> chain = new ArrayList<>();
        if (tlsChain != null) {
            chain.addAll(tlsChain.subList(0, Math.min(tlsChain.size(), MAX_CERTIFICATES)));
        }
        String errorText = cut(error, MAX_ERROR_BYTES);
        int over = EvidenceCodec.encodedLength(address, status, keptHeaders, keptBody, truncated, answers, chain,
                errorText) - MAX_ENCODED_BYTES;
        int bodyBytes = Utf8.length(keptBody);
        if (over > 0 && bodyBytes > 0) {
            keptBody = Utf8.truncate(keptBody, Math.max(0, bodyBytes - over));
            truncated = true;
        }
        while (EvidenceCodec.encodedLength(address, status, keptHeaders, keptBody, truncated, answers, chain,
                errorText) > MAX_ENCODED_BYTES) {
            if (!keptHeaders.isEmpty()) {
                keptHeaders.remove(keptHeaders.size() - 1);
            } else if (!answers.isEmpty()) {
                answers.remove(answers.size() - 1);
            } else {
                // The fixed texts and five certificates add up to less than the total, so this ends here.
                chain.remove(chain.size() - 1);
            }
        }
        return new Evidence(address, status, keptHeaders, keptBody, truncated, answers, chain, errorText);
    }

    /** Builds a header cut to its bounds; for {@link #bounded}. */
    public static Header header(String name, String value) {
        return Header.cut(name, value);
    }

    /** Builds a certificate entry cut to its bounds; for {@link #bounded}. */
    public static Certificate certificate(String subject, String issuer, long notBeforeEpochMillis,
            long notAfterEpochMillis, String sha256) {
        return Certificate.cut(subject, issuer, notBeforeEpochMillis, notAfterEpochMillis, sha256);
    }

    /**
     * {@code text} cut to at most {@code maxBytes} of UTF-8 on a character boundary (null counts as empty):
     * for a capture's own limits below the bounds, such as the agent's {@code evidence.body_bytes}.
     */
    public static String cut(String text, int maxBytes) {
        return text == null ? "" : Utf8.truncate(text, maxBytes);
    }

    private static void requireText(String field, String text, int maxBytes) {
        Objects.requireNonNull(text, field);
        int bytes = Utf8.length(text);
        if (bytes > maxBytes) {
            throw new IllegalArgumentException(field + " must be at most " + maxBytes + " bytes (was " + bytes + ")");
        }
    }

    private static boolean isLowerHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
    }
}
