package dev.vigil.collector.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The collector's TLS listener: the certificate it presents and, optionally, the authority whose
 * client certificates identify agents. The files were checked at load (readable PEM, key of the
 * certificate) by {@link CertificateFiles}.
 *
 * @param certFile     the PEM certificate chain the collector presents, leaf first, absolute
 * @param keyFile      the PEM (PKCS#8) private key of the leaf, absolute
 * @param clientCaFile the PEM certificates of the authorities that issue agents' client
 *                     certificates, absolute; empty when agents present none
 * @param clientAuth   whether a client certificate is required; only meaningful with {@code clientCaFile}
 */
public record TlsConfig(Path certFile, Path keyFile, Optional<Path> clientCaFile, ClientAuthMode clientAuth) {
    /** Validates that the paths are absolute. */
    public TlsConfig {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(clientCaFile, "clientCaFile");
        Objects.requireNonNull(clientAuth, "clientAuth");
        if (!certFile.isAbsolute() || !keyFile.isAbsolute() || clientCaFile.map(path -> !path.isAbsolute()).orElse(false)) {
            throw new IllegalArgumentException("TLS file paths must be absolute (were " + certFile + ", " + keyFile
                    + ", " + clientCaFile.map(Path::toString).orElse("none") + ")");
        }
    }

    /** Whether agents may authenticate with client certificates. */
    public boolean clientCertificates() {
        return clientCaFile.isPresent();
    }
}
