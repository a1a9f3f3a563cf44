package dev.vigil.config.check;

/** A TLS protocol version, oldest first, as a bound on what a probe offers. */
public enum TlsVersion {
    /** TLS 1.0 ({@code TLS10} in configuration). */
    TLS10("TLSv1"),
    /** TLS 1.1. */
    TLS11("TLSv1.1"),
    /** TLS 1.2. */
    TLS12("TLSv1.2"),
    /** TLS 1.3. */
    TLS13("TLSv1.3");

    private final String protocolName;

    TlsVersion(String protocolName) {
        this.protocolName = protocolName;
    }

    /** The JSSE protocol name, e.g. {@code TLSv1.3}. */
    public String protocolName() {
        return protocolName;
    }
}
