package dev.vigil.agent.ship;

import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.PemFile;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * The TLS context of the agent's connection to the collector: it always verifies the collector's
 * chain and name, against {@code collector.tls.ca_file} when set (else the JVM's trust store), and
 * presents the agent's client certificate when {@code cert_file} is set. Unlike the probes' contexts
 * it keeps sessions, so a reconnect resumes instead of paying a full handshake.
 */
final class CollectorTls {
    private CollectorTls() {
    }

    /**
     * A client context for {@code tls}; its files were checked when the configuration was read.
     *
     * @throws IllegalStateException when a file can no longer be used
     */
    static SslContext context(TlsSettings tls) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                .endpointIdentificationAlgorithm("HTTPS");
        try {
            if (tls.caFile().isPresent()) {
                builder.trustManager(PemFile.certificates(tls.caFile().get()).toArray(X509Certificate[]::new));
            }
            if (tls.certFile().isPresent()) {
                builder.keyManager(PemFile.privateKey(tls.keyFile().orElseThrow()),
                        PemFile.certificates(tls.certFile().get()).toArray(X509Certificate[]::new));
            }
            return builder.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot build the TLS context for the collector: " + e.getMessage(), e);
        }
    }

    /** The name sent as SNI and verified: {@code server_name} when set, else the URL's host. */
    static String peerHost(TlsSettings tls, String urlHost) {
        return tls.serverName().orElse(urlHost);
    }
}
