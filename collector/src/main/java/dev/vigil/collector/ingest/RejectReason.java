package dev.vigil.collector.ingest;

import java.util.Locale;

/** Why a batch was refused; the {@code reason} label of {@code vigil_ingest_rejected_total}. */
public enum RejectReason {
    /** No bearer token, or one no configured agent has (401). */
    UNAUTHORIZED,
    /** A Content-Type other than the batch media type (415). */
    UNSUPPORTED_MEDIA_TYPE,
    /** A body over the 16 MiB limit (413). */
    TOO_LARGE,
    /** Bytes the batch codec refused (400). */
    MALFORMED,
    /** A batch version or outcome code this collector does not know (422): the agent keeps it and retries. */
    UNPROCESSABLE;

    /** The metric label value, e.g. {@code unsupported_media_type}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
