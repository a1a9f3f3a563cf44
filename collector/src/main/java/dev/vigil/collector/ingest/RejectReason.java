package dev.vigil.collector.ingest;

import java.util.Locale;

/**
 * Why a request to the collector's ingest edge was refused; the {@code reason} label of
 * {@code vigil_ingest_rejected_total}.
 */
public enum RejectReason {
    /** No valid credential, or credentials that do not name one agent (401). */
    UNAUTHORIZED,
    /** A verified client certificate that names no configured agent (403). */
    FORBIDDEN,
    /** A Content-Type other than the batch media type (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** A Content-Encoding other than gzip, deflate or identity (415). */
    UNSUPPORTED_ENCODING,
    /** A body over the limit, counted after decompression (413). */
    TOO_LARGE,
    /** Bytes the batch codec refused (400). */
    MALFORMED,
    /** A request not read in full within the request deadline (408), or a connection whose first request did not arrive in time (closed). */
    TIMEOUT,
    /** Too many ingest requests in flight (429 with {@code Retry-After}). */
    OVERLOADED,
    /** The journal replay is still running (503 with {@code Retry-After}). */
    REPLAYING,
    /** A request line longer than the limit (414), refused before routing. */
    URI_TOO_LONG,
    /** Request headers larger than the limit (431), refused before routing. */
    HEADERS_TOO_LARGE,
    /** A request that is not valid HTTP/1.1 (400), refused before routing. */
    BAD_REQUEST,
    /** A batch version or outcome code this collector does not know (422): the agent keeps it and retries. */
    UNPROCESSABLE;

    /** The metric label value, e.g. {@code unsupported_media_type}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
