/**
 * Reading Vigil's YAML configuration files.
 *
 * <p>A file is parsed into a tree of {@link dev.vigil.config.ConfigNode}s that remember where they
 * stand (file and line) and how they were reached ({@code checks[3].timeout}). Typed getters turn
 * scalars into {@code Duration}, {@code URI}, enums and bounded numbers; every error is a
 * {@link dev.vigil.config.ConfigException} whose message names the field, the offending value and
 * the position, e.g. {@code checks[3].timeout must be > 0 (was 0s) at agent.yaml:41}.
 *
 * <p>Scalars may refer to environment variables as {@code ${NAME}} or {@code ${NAME:-default}}, so
 * secrets stay out of files. A variable's value never appears in an error message.
 *
 * <p>The package also holds the file handling agent and collector share, so both read and write files
 * the same way: {@link dev.vigil.config.PemFile} for the PEM files of {@code tls:} blocks and
 * {@link dev.vigil.config.DurableFile} for state files replaced atomically and durably.
 */
package dev.vigil.config;
