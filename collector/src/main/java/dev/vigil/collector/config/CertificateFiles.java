package dev.vigil.collector.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of the {@code tls:} block at load, so that a file the TLS listener could not
 * use fails the configuration with its field and line instead of failing the start or, worse, every
 * handshake. Every {@link IllegalArgumentException} carries a message that completes "the file ...".
 */
final class CertificateFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** PKCS#8 names its algorithm only inside the DER, by OID: each is tried in turn. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "EdDSA", "RSASSA-PSS");

    private CertificateFiles() {
    }

    /** The certificates of {@code file} in file order, at least one. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("every Java platform provides an X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type().equals("CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                } catch (CertificateException e) {
                    throw new IllegalArgumentException("holds certificate number " + (certificates.size() + 1)
                            + " that cannot be parsed: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("holds no PEM certificate: no -----BEGIN CERTIFICATE----- block found");
        }
        return certificates;
    }

    /** The unencrypted PKCS#8 private key of {@code file}. */
    static PrivateKey privateKey(Path file) throws IOException {
        Block pkcs8 = null;
        for (Block block : blocks(file)) {
            if (block.type().equals("PRIVATE KEY")) {
                pkcs8 = block;
                break;
            }
            if (block.type().endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("holds a -----BEGIN " + block.type() + "----- key; the collector "
                        + "needs an unencrypted PKCS#8 key, as openssl pkcs8 -topk8 -nocrypt writes it");
            }
        }
        if (pkcs8 == null) {
            throw new IllegalArgumentException("holds no PEM private key: no -----BEGIN PRIVATE KEY----- block found");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8.der());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Not a key of this algorithm: try the next.
            }
        }
        throw new IllegalArgumentException("holds a private key of no supported type; EC, RSA and EdDSA keys are");
    }

    /** Whether {@code key} belongs to {@code certificate}: what it signs verifies with the certificate's key. */
    static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            // RSASSA-PSS needs parameters to sign with; the TLS stack will still refuse a mismatch at start.
            return true;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // The certificate's key is of another algorithm or curve: not this key's certificate.
            return false;
        }
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            try {
                blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("holds a " + matcher.group(1) + " block that is not valid base64", e);
            }
        }
        return blocks;
    }

    private record Block(String type, byte[] der) {
    }
}
