package dev.vigil.agent.probe;

import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JVM's trust manager, with its refusals of a server's chain reworded to say what is wrong in a
 * probe's terms: which certificate expired or is not valid yet, that a chain leads to no trusted CA
 * or is self-signed, which names a certificate holds when it does not match the host.
 *
 * <p>The JSSE puts the message of the {@link CertificateException} thrown here into the handshake's
 * {@code SSLHandshakeException}, so every probe that speaks TLS reports it without further work.
 * The original exception stays the cause. Verification itself (path building, validity, the host
 * name check of the endpoint identification algorithm) is all the delegate's.
 */
final class ExplainingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;

    ExplainingTrustManager(X509ExtendedTrustManager delegate) {
        this.delegate = delegate;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw explained(e, chain, engine == null ? null : engine.getPeerHost());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw explained(e, chain, null);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw explained(e, chain, null);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** {@code refusal} with a message that says what is wrong with {@code chain} for {@code host}. */
    static CertificateException explained(CertificateException refusal, X509Certificate[] chain, String host) {
        if (chain == null || chain.length == 0) {
            return refusal;
        }
        return new RefusedChainException(explain(refusal, chain, host), refusal, List.of(chain));
    }

    /**
     * A refusal of the chain a server presented, carrying that chain: the handshake fails before a
     * session holds it, and the run's failure evidence shows it from here.
     */
    static final class RefusedChainException extends CertificateException {
        private static final long serialVersionUID = 1L;
        private final transient List<X509Certificate> chain;

        RefusedChainException(String message, CertificateException refusal, List<X509Certificate> chain) {
            super(message, refusal);
            this.chain = chain;
        }

        /** The chain as presented, leaf first. */
        List<X509Certificate> chain() {
            return chain == null ? List.of() : chain;
        }
    }

    private static String explain(CertificateException refusal, X509Certificate[] chain, String host) {
        X509Certificate leaf = chain[0];
        // Validity first: the JVM judges it by its own clock, and an expired certificate is the
        // likeliest reason for a chain that used to be trusted to be refused.
        for (X509Certificate certificate : chain) {
            try {
                certificate.checkValidity();
            } catch (CertificateExpiredException e) {
                return "certificate " + subject(certificate) + " expired at " + certificate.getNotAfter().toInstant();
            } catch (CertificateNotYetValidException e) {
                return "certificate " + subject(certificate) + " is not valid before "
                        + certificate.getNotBefore().toInstant();
            }
        }
        if (causedBy(refusal, CertPathBuilderException.class)) {
            if (chain.length == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                return "self-signed certificate " + subject(leaf) + " is not trusted";
            }
            X509Certificate top = chain[chain.length - 1];
            return "certificate " + subject(leaf) + " is not trusted: its chain ends at " + subject(top)
                    + ", issued by " + top.getIssuerX500Principal().getName() + ", which is no trusted CA";
        }
        String message = refusal.getMessage() == null ? "" : refusal.getMessage();
        if (host != null && message.startsWith("No ")) {
            // The endpoint identification check (HostnameChecker): "No subject alternative DNS name matching ..."
            List<String> names = names(leaf);
            return "certificate " + subject(leaf) + " is for " + (names.isEmpty() ? "no name" : String.join(", ", names))
                    + ", not " + host;
        }
        return message;
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.size() >= 2 && name.get(1) instanceof String value) {
                        names.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // A certificate whose names cannot be read has none to show.
        }
        return names;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
