package dev.vigil.agent.probe;

import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import dev.vigil.config.PemFile;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The client TLS contexts of the agent's probes, one per distinct {@link TlsSettings} and ALPN list,
 * built on first use and shared by every check with the same settings. A context holds no
 * connection state; {@link TlsSessionFacts#record} invalidates each session after its handshake so
 * that no run resumes an earlier one and every run measures a full handshake.
 *
 * <p>Files are read with {@link PemFile}, as the configuration reader checked them. When verifying,
 * the trust manager is wrapped in an {@link ExplainingTrustManager}, so a refused chain fails the
 * handshake with a reason a reader can act on (expired, self-signed, wrong name).
 */
public final class TlsContexts {
    private final TrustManagerFactory defaultTrust;
    private final Map<Key, SslContext> contexts = new ConcurrentHashMap<>();

    /** Contexts that trust what {@code defaultTrust} trusts (null: the JVM's trust store) unless a check names a CA file. */
    public TlsContexts(TrustManagerFactory defaultTrust) {
        this.defaultTrust = defaultTrust;
    }

    /**
     * The context for {@code settings}, offering {@code alpn} (e.g. {@code h2}, {@code http/1.1};
     * empty for no ALPN).
     *
     * @throws IllegalArgumentException when a CA, certificate or key file cannot be used; the message says why
     */
    public SslContext client(TlsSettings settings, List<String> alpn) {
        return contexts.computeIfAbsent(new Key(settings, List.copyOf(alpn)), this::build);
    }

    private SslContext build(Key key) {
        TlsSettings settings = key.settings();
        List<String> protocols = new ArrayList<>();
        for (TlsVersion version : TlsVersion.values()) {
            if (version.compareTo(settings.minVersion()) >= 0 && version.compareTo(settings.maxVersion()) <= 0) {
                protocols.add(version.protocolName());
            }
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(protocols)
                // A TLS 1.3 session ticket arrives after the handshake, when TlsSessionFacts has already
                // invalidated the session, and would be cached as a new, resumable session. The JSSE
                // client drops tickets when its cache keeps sessions longer than a ticket may live
                // (7 days): short of a JVM-wide system property, the one switch that keeps it from
                // caching them. TLS 1.2 sessions are cached at the handshake and invalidated there.
                .sessionTimeout(Integer.MAX_VALUE)
                .sessionCacheSize(1);
        try {
            if (settings.verify()) {
                builder.endpointIdentificationAlgorithm("HTTPS")
                        .trustManager(explaining(settings.caFile().isPresent()
                                ? trustIn(PemFile.certificates(settings.caFile().get()))
                                : defaultTrust));
            } else {
                builder.endpointIdentificationAlgorithm(null).trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            if (settings.certFile().isPresent()) {
                builder.keyManager(PemFile.privateKey(settings.keyFile().orElseThrow()),
                        PemFile.certificates(settings.certFile().get()));
            }
            if (!key.alpn().isEmpty()) {
                builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        key.alpn()));
            }
            return builder.build();
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS settings " + describe(settings) + ": "
                    + FailureClassifier.describe(e), e);
        }
    }

    /** A trust manager factory trusting exactly {@code certificates}. */
    private static TrustManagerFactory trustIn(List<X509Certificate> certificates) throws GeneralSecurityException,
            IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < certificates.size(); i++) {
            store.setCertificateEntry("ca-" + i, certificates.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }

    /**
     * The trust manager of {@code trust} (null: the JVM's trust store) wrapped to explain its refusals;
     * as is when it is not an {@link X509ExtendedTrustManager}, since wrapping one that is not would
     * lose the JSSE's host name check.
     */
    private static TrustManager explaining(TrustManagerFactory trust) throws GeneralSecurityException {
        TrustManagerFactory factory = trust;
        if (factory == null) {
            factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return new ExplainingTrustManager(extended);
            }
        }
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                return manager;
            }
        }
        throw new KeyStoreException("the trust manager factory " + factory.getAlgorithm() + " has no X.509 trust manager");
    }

    private static String describe(TlsSettings settings) {
        return "(ca_file " + settings.caFile().map(Object::toString).orElse("none")
                + ", cert_file " + settings.certFile().map(Object::toString).orElse("none")
                + ", key_file " + settings.keyFile().map(Object::toString).orElse("none") + ")";
    }

    private record Key(TlsSettings settings, List<String> alpn) {
    }
}
