package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.PemFile;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Checks at start-up that the files of a check's {@code tls:} block can be used, so that a CA file
 * holding no certificate or a key that does not belong to its certificate fails the configuration,
 * with the field and line, instead of failing every run.
 */
final class TlsFileChecks {
    private TlsFileChecks() {
    }

    /** Checks the files of {@code tls}, read from the {@code tls:} block of check {@code node} (if any). */
    static void check(ConfigNode node, TlsSettings tls) {
        Optional<ConfigNode> found = node.find("tls");
        if (found.isEmpty()) {
            return;
        }
        ConfigNode block = found.get();
        if (!tls.verify() && tls.caFile().isPresent()) {
            throw block.get("ca_file").error("has no effect with verify: false; remove one of the two");
        }
        if (tls.caFile().isPresent()) {
            certificates(block, "ca_file", tls.caFile().get());
        }
        if (tls.certFile().isPresent() && tls.keyFile().isPresent()) {
            List<X509Certificate> chain = certificates(block, "cert_file", tls.certFile().get());
            PrivateKey key = privateKey(block, "key_file", tls.keyFile().get());
            if (!PemFile.matches(key, chain.get(0))) {
                throw block.get("key_file").error("is not the key of the first certificate in cert_file '"
                        + written(block, "cert_file") + "' (was '" + written(block, "key_file") + "')");
            }
        }
    }

    private static List<X509Certificate> certificates(ConfigNode block, String key, Path file) {
        try {
            return PemFile.certificates(file);
        } catch (IllegalArgumentException e) {
            throw block.get(key).error(e.getMessage() + " (was '" + written(block, key) + "')");
        } catch (IOException e) {
            throw block.get(key).error("cannot be read (was '" + written(block, key) + "'): " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(ConfigNode block, String key, Path file) {
        try {
            return PemFile.privateKey(file);
        } catch (IllegalArgumentException e) {
            throw block.get(key).error(e.getMessage() + " (was '" + written(block, key) + "')");
        } catch (IOException e) {
            throw block.get(key).error("cannot be read (was '" + written(block, key) + "'): " + e.getMessage());
        }
    }

    private static String written(ConfigNode block, String key) {
        return block.get(key).text().trim();
    }
}
