package dev.vigil.collector.config;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.PemFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code tls:} block of {@code collector.yaml} and checks its files. */
final class TlsConfigReader {
    private TlsConfigReader() {
    }

    static TlsConfig read(ConfigNode tls, Path baseDir) {
        tls.rejectUnknown(Set.of("cert_file", "key_file", "client_ca_file", "client_auth"));
        Path certFile = readableFile(tls, "cert_file", baseDir);
        Path keyFile = readableFile(tls, "key_file", baseDir);
        List<X509Certificate> chain = certificates(tls, "cert_file", certFile);
        PrivateKey key = privateKey(tls, keyFile);
        if (!PemFile.matches(key, chain.get(0))) {
            throw tls.get("key_file").error("is not the key of the first certificate in cert_file '"
                    + written(tls, "cert_file") + "' (was '" + written(tls, "key_file") + "')");
        }
        Optional<Path> clientCa = Optional.empty();
        if (tls.has("client_ca_file")) {
            clientCa = Optional.of(readableFile(tls, "client_ca_file", baseDir));
            certificates(tls, "client_ca_file", clientCa.get());
        }
        ClientAuthMode clientAuth = ClientAuthMode.REQUIRED;
        if (tls.has("client_auth")) {
            if (clientCa.isEmpty()) {
                throw tls.get("client_auth").error("needs client_ca_file, the authority that issues agents' "
                        + "client certificates");
            }
            clientAuth = tls.enumValue("client_auth", ClientAuthMode.class);
        }
        return new TlsConfig(certFile, keyFile, clientCa, clientAuth);
    }

    private static Path readableFile(ConfigNode tls, String key, Path baseDir) {
        String text = tls.string(key).trim();
        Path path;
        try {
            path = baseDir.resolve(text).normalize().toAbsolutePath();
        } catch (InvalidPathException e) {
            throw tls.get(key).error("is not a valid path (was '" + text + "'): " + e.getReason());
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw tls.get(key).error("must be a readable file (" + path + " is not)");
        }
        return path;
    }

    private static List<X509Certificate> certificates(ConfigNode tls, String key, Path file) {
        try {
            return PemFile.certificates(file);
        } catch (IllegalArgumentException e) {
            throw tls.get(key).error(e.getMessage() + " (was '" + written(tls, key) + "')");
        } catch (IOException e) {
            throw tls.get(key).error("cannot be read (was '" + written(tls, key) + "'): " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(ConfigNode tls, Path file) {
        try {
            return PemFile.privateKey(file);
        } catch (IllegalArgumentException e) {
            throw tls.get("key_file").error(e.getMessage() + " (was '" + written(tls, "key_file") + "')");
        } catch (IOException e) {
            throw tls.get("key_file").error("cannot be read (was '" + written(tls, "key_file") + "'): "
                    + e.getMessage());
        }
    }

    private static String written(ConfigNode tls, String key) {
        return tls.get(key).text().trim();
    }
}
