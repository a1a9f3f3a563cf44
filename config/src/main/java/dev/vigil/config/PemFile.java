package dev.vigil.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEM file named by a {@code tls:} block of the agent's or the collector's configuration: the
 * certificates of a CA or certificate file, or the unencrypted PKCS#8 private key of a key file.
 *
 * <p>The configuration readers (to reject an unusable file at start-up) and the TLS contexts (to use
 * it) all read files through this class, so they agree on what a usable file is. Every
 * {@link IllegalArgumentException} it throws carries a message that completes "the file ...", e.g.
 * {@code holds no PEM certificate}.
 */
public final class PemFile {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    /** Key types tried in turn: PKCS#8 names its algorithm only inside the DER, by OID. */
    private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "EdDSA", "RSASSA-PSS", "DSA");

    private PemFile() {
    }

    /**
     * The certificates of {@code file}, in file order.
     *
     * @throws IllegalArgumentException when the file holds no {@code CERTIFICATE} block or one that
     *                                  cannot be parsed
     * @throws IOException              when the file cannot be read
     */
    public static List<X509Certificate> certificates(Path file) throws IOException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JVM has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (!block.type().equals("CERTIFICATE")) {
                continue;
            }
            try {
                certificates.add((X509Certificate) factory.generateCertificate(
                        new ByteArrayInputStream(block.der())));
            } catch (CertificateException e) {
                throw new IllegalArgumentException("holds a certificate that cannot be parsed, number "
                        + (certificates.size() + 1) + " in the file: " + e.getMessage(), e);
            }
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("holds no PEM certificate: no -----BEGIN CERTIFICATE----- block found");
        }
        return List.copyOf(certificates);
    }

    /**
     * The private key of {@code file}: an unencrypted PKCS#8 {@code PRIVATE KEY} block (EC, RSA, EdDSA
     * or DSA).
     *
     * @throws IllegalArgumentException when the file holds no such key; the message says what it holds
     * @throws IOException              when the file cannot be read
     */
    public static PrivateKey privateKey(Path file) throws IOException {
        List<Block> blocks = blocks(file);
        Optional<Block> pkcs8 = blocks.stream().filter(block -> block.type().equals("PRIVATE KEY")).findFirst();
        if (pkcs8.isEmpty()) {
            for (Block block : blocks) {
                if (block.type().equals("ENCRYPTED PRIVATE KEY")) {
                    throw new IllegalArgumentException("holds an encrypted private key; Vigil needs it "
                            + "unencrypted, as openssl pkcs8 -topk8 -nocrypt writes it");
                }
                if (block.type().endsWith("PRIVATE KEY")) {
                    throw new IllegalArgumentException("holds a key in another format (-----BEGIN " + block.type()
                            + "-----); Vigil needs PKCS#8, as openssl pkcs8 -topk8 -nocrypt writes it");
                }
            }
            throw new IllegalArgumentException("holds no PEM private key: no -----BEGIN PRIVATE KEY----- block found");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8.get().der());
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
                // Not a key of this algorithm (or one this JVM lacks): try the next.
            }
        }
        throw new IllegalArgumentException("holds a private key of no supported type; EC, RSA, EdDSA and DSA keys are");
    }

    /**
     * Whether {@code key} is the private key of {@code certificate}: a signature made with the key
     * verifies with the certificate's public key. Keys of a type this cannot sign with count as matching.
     */
    public static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
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
            // The certificate's key is of another algorithm, or of another curve: not this key's certificate.
            return false;
        }
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(matcher.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("holds a " + matcher.group(1) + " block that is not valid base64", e);
            }
            blocks.add(new Block(matcher.group(1), der));
        }
        return blocks;
    }

    private record Block(String type, byte[] der) {
    }
}
