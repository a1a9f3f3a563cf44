package dev.vigil.collector.catalogue;

import dev.vigil.collector.config.TokenDigest;
import dev.vigil.config.ConfigNode;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue part of {@code collector.yaml}: the items its sections {@code calendars:},
 * {@code slas:}, {@code suppliers:}, {@code services:} and {@code maintenance:} define, and the {@code api:} block holding
 * the admin token that allows changes through the API.
 *
 * @param items      the items the file defines, read-only through the API
 * @param fileName   the file's name, for messages ({@code collector.yaml})
 * @param adminToken the SHA-256 of the bearer token that allows changes through the API; without it the
 *                   API only reads
 */
public record CatalogueConfig(CatalogueLayer items, String fileName, Optional<TokenDigest> adminToken) {
    /** The top-level keys of {@code collector.yaml} that {@link #read} handles. */
    public static final Set<String> KEYS = keys();
    /** No items and no admin token. */
    public static final CatalogueConfig EMPTY = new CatalogueConfig(CatalogueLayer.EMPTY, "collector.yaml",
            Optional.empty());

    /** Validates that the items make a valid catalogue. */
    public CatalogueConfig {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(adminToken, "adminToken");
        new Catalogue(items, CatalogueLayer.EMPTY, fileName, 0);
    }

    /**
     * Reads the catalogue sections and the {@code api:} block of {@code root}.
     *
     * @param agents the names of the agents in {@code agents:}, which checks may name
     * @throws dev.vigil.config.ConfigException naming the field, the value and the position of the first error
     */
    public static CatalogueConfig read(ConfigNode root, Set<String> agents) {
        String where = root.where();
        String fileName = where.substring(0, where.lastIndexOf(':'));
        CatalogueLayer items = CatalogueReader.read(root, Origin.FILE, Catalogue.EMPTY, agents);
        Optional<TokenDigest> adminToken = root.find("api").flatMap(CatalogueConfig::adminToken);
        return new CatalogueConfig(items, fileName, adminToken);
    }

    /** The catalogue of the file alone, version 0. */
    public Catalogue catalogue() {
        return new Catalogue(items, CatalogueLayer.EMPTY, fileName, 0);
    }

    private static Optional<TokenDigest> adminToken(ConfigNode api) {
        api.rejectUnknown(Set.of("admin_token", "admin_token_sha256"));
        if (api.has("admin_token") && api.has("admin_token_sha256")) {
            throw api.error("must set admin_token or admin_token_sha256, not both");
        }
        if (api.has("admin_token")) {
            return Optional.of(TokenDigest.of(api.string("admin_token")));
        }
        if (api.has("admin_token_sha256")) {
            try {
                return Optional.of(TokenDigest.ofHex(api.get("admin_token_sha256").text()));
            } catch (IllegalArgumentException e) {
                // The value is not echoed: a token pasted here by mistake must not reach a log.
                throw api.get("admin_token_sha256").error("must be 64 hexadecimal digits, the SHA-256 of the token");
            }
        }
        return Optional.empty();
    }

    private static Set<String> keys() {
        Set<String> keys = new HashSet<>(CatalogueReader.SECTIONS);
        keys.add("api");
        return Set.copyOf(keys);
    }
}
