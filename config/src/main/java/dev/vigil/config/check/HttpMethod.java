package dev.vigil.config.check;

/** The request methods an HTTP check may use. */
public enum HttpMethod {
    /** {@code GET}, the default. */
    GET,
    /** {@code HEAD}: the response has no body. */
    HEAD,
    /** {@code POST}, with the check's body (empty by default). */
    POST,
    /** {@code PUT}, with the check's body. */
    PUT,
    /** {@code DELETE}. */
    DELETE,
    /** {@code OPTIONS}. */
    OPTIONS,
    /** {@code PATCH}, with the check's body. */
    PATCH
}
