package dev.vigil.agent.probe;

import dev.vigil.agent.config.TlsSettings;
import dev.vigil.agent.config.TlsVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client TLS contexts of the agent's probes, one per distinct {@link TlsSettings} and ALPN list,
 * built on first use and shared by every check with the same settings. A context holds no
 * connection state; {@link TlsSessionFacts#record} invalidates each session after its handshake so
 * that no run resumes an earlier one and every run measures a full handshake.
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
                .protocols(protocols);
        if (settings.verify()) {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (settings.caFile().isPresent()) {
                builder.trustManager(settings.caFile().get().toFile());
            } else {
                builder.trustManager(defaultTrust);
            }
        } else {
            builder.endpointIdentificationAlgorithm(null).trustManager(InsecureTrustManagerFactory.INSTANCE);
        }
        if (settings.certFile().isPresent()) {
            builder.keyManager(settings.certFile().get().toFile(), settings.keyFile().orElseThrow().toFile());
        }
        if (!key.alpn().isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(
                    ApplicationProtocolConfig.Protocol.ALPN,
                    ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                    ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                    key.alpn()));
        }
        try {
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS settings " + describe(settings) + ": "
                    + FailureClassifier.describe(e), e);
        }
    }

    private static String describe(TlsSettings settings) {
        return "(ca_file " + settings.caFile().map(Object::toString).orElse("none")
                + ", cert_file " + settings.certFile().map(Object::toString).orElse("none")
                + ", key_file " + settings.keyFile().map(Object::toString).orElse("none") + ")";
    }

    private record Key(TlsSettings settings, List<String> alpn) {
    }
}
