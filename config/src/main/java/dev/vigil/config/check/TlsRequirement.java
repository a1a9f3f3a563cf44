package dev.vigil.config.check;

/** Whether an HTTP check insists on, or forbids, the final response arriving over TLS. */
public enum TlsRequirement {
    /** Either is fine, the default. */
    ANY,
    /** Fail unless the final response came over TLS (a redirect to plain http fails). */
    REQUIRED,
    /** Fail if the final response came over TLS. */
    FORBIDDEN
}
