package dev.vigil.testsupport.target;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority (ECDSA P-256) and one server certificate it issued for
 * {@code localhost} and {@code 127.0.0.1}. No JVM trusts it unless a test hands it
 * {@link #trustManagerFactory()}, so a client with default trust sees an untrusted certificate.
 */
public final class TestCertificateAuthority {
    private final X509Bundle root;
    private final X509Bundle server;

    private TestCertificateAuthority(X509Bundle root, X509Bundle server) {
        this.root = root;
        this.server = server;
    }

    /** Issues a new root and server certificate, valid from an hour ago for a day. */
    public static TestCertificateAuthority create() {
        Instant now = Instant.now();
        CertificateBuilder template = new CertificateBuilder()
                .ecp256()
                .notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(1, ChronoUnit.DAYS));
        try {
            X509Bundle root = template.copy()
                    .subject("CN=Vigil Test CA")
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
            X509Bundle server = template.copy()
                    .subject("CN=localhost")
                    .addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1")
                    .addExtendedKeyUsageServerAuth()
                    .buildIssuedBy(root);
            return new TestCertificateAuthority(root, server);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue test certificates", e);
        }
    }

    /** A server-side context (JDK provider) presenting the server certificate. */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(server.toKeyManagerFactory()).sslProvider(SslProvider.JDK).build();
        } catch (SSLException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test server's TLS context", e);
        }
    }

    /** Trust in this authority alone, for a client that should accept the server certificate. */
    public TrustManagerFactory trustManagerFactory() {
        return root.toTrustManagerFactory();
    }
}
