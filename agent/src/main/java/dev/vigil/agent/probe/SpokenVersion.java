package dev.vigil.agent.probe;

import dev.vigil.config.check.HttpProtocol;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/** The HTTP version a response actually came in, as reported and as checked against {@code http_versions}. */
enum SpokenVersion {
    /** An HTTP/1.0 response (to an HTTP/1.1 request). */
    HTTP_1_0("HTTP/1.0", 1.0, null),
    /** HTTP/1.1. */
    HTTP_1_1("HTTP/1.1", 1.1, HttpProtocol.HTTP_1_1),
    /** HTTP/2, over TLS by ALPN or in clear text by prior knowledge. */
    HTTP_2("HTTP/2", 2.0, HttpProtocol.HTTP_2);

    private final String label;
    private final double number;
    private final HttpProtocol protocol;

    SpokenVersion(String label, double number, HttpProtocol protocol) {
        this.label = label;
        this.number = number;
        this.protocol = protocol;
    }

    /** The version of an HTTP/1.x response line. */
    static SpokenVersion of(HttpVersion version) {
        return version.majorVersion() == 1 && version.minorVersion() == 0 ? HTTP_1_0 : HTTP_1_1;
    }

    /** {@code HTTP/1.1}, as in a status line. */
    String label() {
        return label;
    }

    /** blackbox_exporter's {@code probe_http_version}: 1.0, 1.1 or 2. */
    double number() {
        return number;
    }

    /** The configurable protocol this is, if any: HTTP/1.0 is none. */
    Optional<HttpProtocol> protocol() {
        return Optional.ofNullable(protocol);
    }
}
