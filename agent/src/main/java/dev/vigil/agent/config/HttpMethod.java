package dev.vigil.agent.config;

/** The request methods an HTTP check may use. */
public enum HttpMethod {
    /** {@code GET}, the default. */
    GET,
    /** {@code HEAD}: the response has no body. */
    HEAD,
    /** {@code POST} with an empty body. */
    POST,
    /** {@code PUT} with an empty body. */
    PUT,
    /** {@code DELETE}. */
    DELETE,
    /** {@code OPTIONS}. */
    OPTIONS,
    /** {@code PATCH} with an empty body. */
    PATCH
}
