package dev.vigil.config.check;

/** An HTTP protocol version a check may speak or accept. */
public enum HttpProtocol {
    /** HTTP/1.1. */
    HTTP_1_1,
    /** HTTP/2: negotiated with ALPN over TLS, prior knowledge (h2c) over plain TCP. */
    HTTP_2
}
