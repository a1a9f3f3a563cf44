package dev.vigil.config.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a probe speaks TLS: what it trusts, what it presents, which versions it offers, and how long
 * the server's certificates must still be valid.
 *
 * @param verify      whether the server's chain and name are verified (on unless turned off)
 * @param caFile      PEM certificates to trust instead of the JVM's trust store
 * @param certFile    a PEM client certificate (chain) to present; set together with {@code keyFile}
 * @param keyFile     the PEM (PKCS#8) private key of {@code certFile}
 * @param serverName  the name sent as SNI and verified, instead of the target's host
 * @param minVersion  the oldest version offered
 * @param maxVersion  the newest version offered, not older than {@code minVersion}
 * @param minValidity the check fails with {@code CERT_EXPIRING} when a certificate of the chain
 *                    expires sooner than this; {@link Duration#ZERO} checks only that none has expired
 */
public record TlsSettings(
        boolean verify,
        Optional<Path> caFile,
        Optional<Path> certFile,
        Optional<Path> keyFile,
        Optional<String> serverName,
        TlsVersion minVersion,
        TlsVersion maxVersion,
        Duration minValidity) {

    /** Verify against the JVM's trust store, TLS 1.2 to 1.3, no client certificate, no validity margin. */
    public static final TlsSettings DEFAULT = new TlsSettings(true, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), TlsVersion.TLS12, TlsVersion.TLS13, Duration.ZERO);

    /** Validates that the client certificate comes with its key and that the versions are in order. */
    public TlsSettings {
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(minVersion, "minVersion");
        Objects.requireNonNull(maxVersion, "maxVersion");
        Objects.requireNonNull(minValidity, "minValidity");
        if (certFile.isPresent() != keyFile.isPresent()) {
            throw new IllegalArgumentException("cert_file and key_file must be set together");
        }
        if (minVersion.compareTo(maxVersion) > 0) {
            throw new IllegalArgumentException(
                    "min_version " + minVersion + " must not be newer than max_version " + maxVersion);
        }
        if (minValidity.isNegative()) {
            throw new IllegalArgumentException("min_validity must be >= 0 (was " + minValidity + ")");
        }
        if (serverName.isPresent() && serverName.get().isBlank()) {
            throw new IllegalArgumentException("server_name must not be empty");
        }
    }

    /** These settings with {@code minValidity} instead. */
    public TlsSettings withMinValidity(Duration validity) {
        return new TlsSettings(verify, caFile, certFile, keyFile, serverName, minVersion, maxVersion, validity);
    }
}
