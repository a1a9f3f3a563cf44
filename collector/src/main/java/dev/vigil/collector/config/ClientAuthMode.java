package dev.vigil.collector.config;

/** Whether the collector's TLS listener asks agents for a client certificate. */
public enum ClientAuthMode {
    /** A client without a certificate issued by {@code client_ca_file} fails the TLS handshake. */
    REQUIRED,
    /** A client may present a certificate; one that does not must authenticate with its token. */
    OPTIONAL
}
