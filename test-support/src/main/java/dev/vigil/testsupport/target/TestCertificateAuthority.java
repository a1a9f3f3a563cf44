package dev.vigil.testsupport.target;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority (ECDSA P-256) and one server certificate it issued for
 * {@code localhost} and {@code 127.0.0.1}. No JVM trusts it unless a test hands it
 * {@link #trustManagerFactory()} (or its {@link #writeRootCertificate PEM file}), so a client with
 * default trust sees an untrusted certificate. It also issues the certificates TLS tests need on
 * purpose: expiring at a chosen time, for another name, for a client, or self-signed.
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

    /** A server-side context builder (JDK provider) presenting the server certificate, for ALPN or client authentication. */
    public SslContextBuilder serverContextBuilder() {
        try {
            return SslContextBuilder.forServer(server.toKeyManagerFactory()).sslProvider(SslProvider.JDK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the test server's key", e);
        }
    }

    /**
     * A server context presenting a certificate this authority issued for {@code localhost} and
     * {@code 127.0.0.1}, valid from {@code notBefore} to {@code notAfter} (either may be in the past).
     */
    public SslContext serverContextValid(Instant notBefore, Instant notAfter) {
        return context(issue(new CertificateBuilder().ecp256().notBefore(notBefore).notAfter(notAfter)
                .subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                .addExtendedKeyUsageServerAuth()));
    }

    /** A server context presenting a certificate this authority issued for {@code dnsName} only. */
    public SslContext serverContextFor(String dnsName) {
        return context(issue(template().subject("CN=" + dnsName).addSanDnsName(dnsName).addExtendedKeyUsageServerAuth()));
    }

    /** A server context presenting a self-signed certificate for {@code localhost} and {@code 127.0.0.1}: no authority issued it. */
    public static SslContext selfSignedServerContext() {
        try {
            // The builder signs only authorities itself; the certificate is its own issuer either way.
            return context(template().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
                    .setIsCertificateAuthority(true).addExtendedKeyUsageServerAuth().buildSelfSigned());
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a self-signed test certificate", e);
        }
    }

    /** A server context presenting the server certificate and requiring a client certificate this authority issued. */
    public SslContext serverContextRequiringClientCertificate() {
        try {
            return serverContextBuilder().clientAuth(ClientAuth.REQUIRE).trustManager(root.toTrustManagerFactory())
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the test server's TLS context", e);
        }
    }

    /**
     * The PEM files of a certificate and its key.
     *
     * @param certificate the certificate chain, leaf first
     * @param privateKey  the PKCS#8 private key
     */
    public record PemFiles(Path certificate, Path privateKey) {
    }

    /** Issues a client certificate ({@code CN=vigil-probe}) and writes it and its key as PEM into {@code dir}. */
    public PemFiles writeClientCertificate(Path dir) {
        X509Bundle client = issue(template().subject("CN=vigil-probe").addExtendedKeyUsageClientAuth());
        Path certificate = write(dir.resolve("client.crt"), client.getCertificatePathPEM());
        Path key = write(dir.resolve("client.key"), client.getPrivateKeyPEM());
        return new PemFiles(certificate, key);
    }

    /** Writes this authority's root certificate as PEM to {@code file}, for a client's {@code ca_file}. */
    public Path writeRootCertificate(Path file) {
        return write(file, root.getCertificatePEM());
    }

    private static CertificateBuilder template() {
        Instant now = Instant.now();
        return new CertificateBuilder().ecp256().notBefore(now.minus(1, ChronoUnit.HOURS))
                .notAfter(now.plus(1, ChronoUnit.DAYS));
    }

    private X509Bundle issue(CertificateBuilder builder) {
        try {
            return builder.buildIssuedBy(root);
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    private static SslContext context(X509Bundle bundle) {
        try {
            return SslContextBuilder.forServer(bundle.toKeyManagerFactory()).sslProvider(SslProvider.JDK).build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a test server's TLS context", e);
        }
    }

    private static Path write(Path file, String pem) {
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trust in this authority alone, for a client that should accept the server certificate. */
    public TrustManagerFactory trustManagerFactory() {
        return root.toTrustManagerFactory();
    }
}
