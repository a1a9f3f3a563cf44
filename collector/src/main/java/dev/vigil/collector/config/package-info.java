/**
 * The collector's configuration: {@link dev.vigil.collector.config.CollectorConfig} read from YAML
 * through {@link dev.vigil.config.ConfigNode}, so every error names the field, the value and the
 * line, and an unknown field at any level is an error.
 *
 * <p>Secrets never stay in memory as given: an agent's token is reduced to its SHA-256 at load
 * ({@link dev.vigil.collector.config.TokenDigest}) and compared in constant time; a webhook's signing
 * key ({@link dev.vigil.collector.config.WebhookSecret}) is kept as bytes. Neither prints itself, and
 * no error message quotes a token.
 */
package dev.vigil.collector.config;
