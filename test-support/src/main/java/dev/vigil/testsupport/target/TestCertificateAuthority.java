package dev.vigil.testsupport.target;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A throw-away certificate authority (ECDSA P-256) and one server certificate it issued for
 * {@code localhost} and {@code 127.0.0.1}. No JVM trusts it unless a test hands it
 * {@link #trustManagerFactory()} (or the PEM of {@link #writeRootCertificate}), so a client with
 * default trust sees an untrusted certificate.
 *
 * <p>{@link #server()} issues other server certificates on demand: expired, not yet valid, soon
 * expiring, for another name, self-signed, and server contexts limited to some TLS versions or
 * requiring a client certificate ({@link #writeClientCertificate} issues one).
 */
public final class TestCertificateAuthority {
    private static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1");

    private final X509Bundle root;
    private final X509Bundle server;

    private TestCertificateAuthority(X509Bundle root, X509Bundle server) {
        this.root = root;
        this.server = server;
    }

    /** Issues a new root, valid from an hour ago for ten years, and a server certificate valid for a day. */
    public static TestCertificateAuthority create() {
        Instant now = Instant.now();
        try {
            X509Bundle root = new CertificateBuilder()
                    .ecp256()
                    .notBefore(now.minus(1, ChronoUnit.HOURS))
                    .notAfter(now.plus(3650, ChronoUnit.DAYS))
                    .subject("CN=Vigil Test CA")
                    .setIsCertificateAuthority(true)
                    .buildSelfSigned();
            X509Bundle server = leaf(LOCAL_NAMES, now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS))
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
        } catch (SSLException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test server's TLS context", e);
        }
    }

    /** Trust in this authority alone, for a client that should accept the server certificate. */
    public TrustManagerFactory trustManagerFactory() {
        return root.toTrustManagerFactory();
    }

    /** A new server certificate and context to describe; by default like {@link #serverContext()}'s. */
    public ServerTls server() {
        return new ServerTls();
    }

    /** Writes the root certificate as PEM to {@code file}, for a client's {@code ca_file}. */
    public Path writeRootCertificate(Path file) {
        return write(file, root.getCertificatePEM());
    }

    /**
     * Issues a client certificate ({@code CN=vigil-probe}, client authentication) and writes it to
     * {@code certFile} and its unencrypted PKCS#8 key to {@code keyFile}, both PEM.
     */
    public void writeClientCertificate(Path certFile, Path keyFile) {
        Instant now = Instant.now();
        try {
            X509Bundle client = new CertificateBuilder()
                    .ecp256()
                    .notBefore(now.minus(1, ChronoUnit.HOURS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS))
                    .subject("CN=vigil-probe")
                    .addExtendedKeyUsageClientAuth()
                    .buildIssuedBy(root);
            write(certFile, client.getCertificatePEM());
            write(keyFile, client.getPrivateKeyPEM());
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test client certificate", e);
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

    /**
     * Issues a client certificate with subject {@code CN=<commonName>} and the DNS subject alternative
     * names {@code dnsNames}, and writes it and its key as PEM into {@code dir} as
     * {@code <commonName>.crt} and {@code <commonName>.key}.
     */
    public PemFiles writeClientCertificate(Path dir, String commonName, String... dnsNames) {
        CertificateBuilder builder = template().subject("CN=" + commonName).addExtendedKeyUsageClientAuth();
        for (String name : dnsNames) {
            builder.addSanDnsName(name);
        }
        X509Bundle client = issue(builder);
        Path certificate = write(dir.resolve(commonName + ".crt"), client.getCertificatePathPEM());
        Path key = write(dir.resolve(commonName + ".key"), client.getPrivateKeyPEM());
        return new PemFiles(certificate, key);
    }

    /**
     * Writes the server certificate ({@code localhost} and {@code 127.0.0.1}) and its key as PEM into
     * {@code dir} as {@code server.crt} and {@code server.key}, for a server that reads PEM files.
     */
    public PemFiles writeServerCertificate(Path dir) {
        Path certificate = write(dir.resolve("server.crt"), server.getCertificatePathPEM());
        Path key = write(dir.resolve("server.key"), server.getPrivateKeyPEM());
        return new PemFiles(certificate, key);
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

    private static CertificateBuilder leaf(List<String> names, Instant notBefore, Instant notAfter) {
        CertificateBuilder builder = new CertificateBuilder()
                .ecp256()
                .notBefore(notBefore)
                .notAfter(notAfter)
                .subject("CN=" + names.get(0))
                .addExtendedKeyUsageServerAuth();
        for (String name : names) {
            if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
                builder.addSanIpAddress(name);
            } else {
                builder.addSanDnsName(name);
            }
        }
        return builder;
    }

    private static Path write(Path file, String pem) {
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A server certificate and the server context presenting it, described before it is issued:
     * names ({@code localhost} and {@code 127.0.0.1} unless set), validity (from an hour ago for a
     * day unless set), issued by the authority or self-signed, TLS versions, client authentication.
     */
    public final class ServerTls {
        private List<String> names = LOCAL_NAMES;
        private Instant notBefore = Instant.now().minus(1, ChronoUnit.HOURS);
        private Instant notAfter = Instant.now().plus(1, ChronoUnit.DAYS);
        private boolean selfSigned;
        private String[] protocols = new String[0];
        private boolean requireClientCertificate;

        private ServerTls() {
        }

        /** The certificate's names, DNS names or IP literals; the first is also its common name. */
        public ServerTls names(String... certificateNames) {
            this.names = List.of(certificateNames);
            return this;
        }

        /** The certificate is valid from {@code from} until {@code until}. */
        public ServerTls validity(Instant from, Instant until) {
            this.notBefore = from;
            this.notAfter = until;
            return this;
        }

        /** The certificate signs itself instead of being issued by the authority. */
        public ServerTls selfSigned() {
            this.selfSigned = true;
            return this;
        }

        /** The server speaks only these JSSE protocols, e.g. {@code TLSv1.2}. */
        public ServerTls protocols(String... names) {
            this.protocols = names.clone();
            return this;
        }

        /** The server requires a client certificate issued by the authority. */
        public ServerTls requireClientCertificate() {
            this.requireClientCertificate = true;
            return this;
        }

        /** When the certificate expires. */
        public Instant notAfter() {
            return notAfter;
        }

        /** Issues the certificate and builds a server context (JDK provider) presenting it. */
        public SslContext build() {
            return build(null);
        }

        /**
         * As {@link #build()}; when {@code fullHandshakes} is not null, each engine that presents the
         * certificate is added to it. A resumed session presents no certificate, so its size counts
         * the full handshakes.
         */
        SslContext build(Set<SSLEngine> fullHandshakes) {
            try {
                CertificateBuilder certificate = leaf(names, notBefore, notAfter);
                // A self-signed certificate is its own root, marked as a CA as openssl req -x509 marks it.
                X509Bundle bundle = selfSigned
                        ? certificate.setIsCertificateAuthority(true).buildSelfSigned()
                        : certificate.buildIssuedBy(root);
                KeyManager keys = bundle.toKeyManagerFactory().getKeyManagers()[0];
                if (fullHandshakes != null) {
                    keys = new CountingKeyManager((X509ExtendedKeyManager) keys, fullHandshakes);
                }
                SslContextBuilder builder = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK);
                if (protocols.length > 0) {
                    builder.protocols(protocols);
                }
                if (requireClientCertificate) {
                    builder.clientAuth(ClientAuth.REQUIRE).trustManager(root.getCertificate());
                }
                return builder.build();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build a test server's TLS context", e);
            }
        }
    }

    /** A key manager that notes each engine it chooses the server's key for: one per full handshake. */
    private static final class CountingKeyManager extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager delegate;
        private final Set<SSLEngine> engines;

        CountingKeyManager(X509ExtendedKeyManager delegate, Set<SSLEngine> engines) {
            this.delegate = delegate;
            this.engines = engines;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            String alias = delegate.chooseEngineServerAlias(keyType, issuers, engine);
            if (alias != null && engine != null) {
                engines.add(engine);
            }
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate.chooseEngineClientAlias(keyType, issuers, engine);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseServerAlias(keyType, issuers, socket);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
