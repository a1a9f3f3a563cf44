package dev.vigil.agent.probe;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a completed TLS handshake tells: version, cipher, the server's chain and when it expires,
 * recorded on the run as blackbox_exporter's {@code probe_ssl_*} and {@code probe_tls_*} facts.
 */
final class TlsSessionFacts {
    private TlsSessionFacts() {
    }

    /**
     * Records the facts of {@code session} on {@code run}, then invalidates the session so that the
     * next run makes a full handshake instead of resuming this one.
     *
     * @return the server's chain as presented, leaf first (empty if it presented none)
     */
    static List<X509Certificate> record(ProbeRun run, SSLSession session) {
        List<X509Certificate> chain = chain(session);
        run.fact(ProbeFact.of("probe_tls_version_info", "version", versionLabel(session.getProtocol()), 1));
        run.fact(ProbeFact.of("probe_tls_cipher_info", "cipher", session.getCipherSuite(), 1));
        if (!chain.isEmpty()) {
            double earliest = earliestExpiry(chain).getEpochSecond();
            run.fact(ProbeFact.of("probe_ssl_earliest_cert_expiry", earliest));
            run.fact(ProbeFact.of("probe_ssl_last_chain_expiry_timestamp_seconds", earliest));
            X509Certificate leaf = chain.get(0);
            Map<String, String> info = new LinkedHashMap<>();
            info.put("fingerprint_sha256", sha256(leaf));
            info.put("subject", leaf.getSubjectX500Principal().getName());
            info.put("issuer", leaf.getIssuerX500Principal().getName());
            info.put("subjectalternative", subjectAlternativeNames(leaf));
            info.put("serialnumber", leaf.getSerialNumber().toString(16));
            run.fact(new ProbeFact("probe_ssl_last_chain_info", info, 1));
        }
        session.invalidate();
        return chain;
    }

    /**
     * Why {@code chain} fails a validity margin of {@code minValidity} at {@code now}, naming the
     * certificate that expires first, or empty when every certificate is valid long enough.
     */
    static Optional<String> expiringTooSoon(List<X509Certificate> chain, Duration minValidity, Instant now) {
        X509Certificate first = null;
        for (X509Certificate certificate : chain) {
            if (first == null || certificate.getNotAfter().before(first.getNotAfter())) {
                first = certificate;
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        Instant expiry = first.getNotAfter().toInstant();
        Duration left = Duration.between(now, expiry);
        if (left.compareTo(minValidity) >= 0 && !left.isNegative()) {
            return Optional.empty();
        }
        String who = first.getSubjectX500Principal().getName();
        if (left.isNegative()) {
            return Optional.of("certificate " + who + " expired at " + expiry);
        }
        return Optional.of("certificate " + who + " expires at " + expiry + ", in " + left.toDays()
                + " days; the check requires at least " + minValidity.toDays() + " days");
    }

    static Instant earliestExpiry(List<X509Certificate> chain) {
        Instant earliest = Instant.MAX;
        for (X509Certificate certificate : chain) {
            Instant notAfter = certificate.getNotAfter().toInstant();
            if (notAfter.isBefore(earliest)) {
                earliest = notAfter;
            }
        }
        return earliest;
    }

    private static List<X509Certificate> chain(SSLSession session) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate certificate : session.getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // An anonymous cipher suite: no chain to report.
        }
        return chain;
    }

    /** blackbox_exporter's form of the version label: {@code TLS 1.3}. */
    private static String versionLabel(String protocol) {
        return switch (protocol) {
            case "TLSv1" -> "TLS 1.0";
            case "TLSv1.1" -> "TLS 1.1";
            case "TLSv1.2" -> "TLS 1.2";
            case "TLSv1.3" -> "TLS 1.3";
            default -> protocol;
        };
    }

    private static String sha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            // Every JVM has SHA-256, and a certificate the handshake accepted has an encoding.
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static String subjectAlternativeNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return "";
            }
            List<String> values = new ArrayList<>();
            for (List<?> name : names) {
                if (name.size() >= 2 && name.get(1) instanceof String value) {
                    values.add(value);
                }
            }
            return String.join(",", values);
        } catch (CertificateParsingException e) {
            return "";
        }
    }
}
