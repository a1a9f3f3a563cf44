package dev.vigil.agent.blackbox;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A blackbox_exporter module file as Vigil runs it: its modules by name, in file order.
 *
 * @param file    the file's name, for messages
 * @param modules the modules by name
 */
public record BlackboxConfig(String file, Map<String, BlackboxModule> modules) {

    /** Copies the modules, keeping their order. */
    public BlackboxConfig {
        Objects.requireNonNull(file, "file");
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /**
     * Reads the module file at {@code file}; relative {@code ca_file}, {@code password_file}, ... are
     * resolved against its folder. The file is taken as it is: {@code ${...}} is not expanded.
     *
     * @throws ConfigException when the file cannot be read or holds what blackbox_exporter rejects
     */
    public static BlackboxConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read module file " + file + ": " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().getParent();
        return parse(file.getFileName().toString(), text, folder);
    }

    /**
     * Parses the module file text {@code yaml}, named {@code fileName} in messages, resolving
     * relative file names against {@code folder}.
     *
     * @throws ConfigException when the text holds what blackbox_exporter rejects
     */
    public static BlackboxConfig parse(String fileName, String yaml, Path folder) {
        // blackbox_exporter does not expand variables, and "${1}" in a tcp send refers to a regexp group.
        ConfigNode root = ConfigNode.parse(fileName, yaml, name -> "${" + name + "}");
        return new BlackboxConfig(fileName, new ModuleFileReader(fileName, folder).read(root));
    }

    /** The module named {@code name}. */
    public Optional<BlackboxModule> module(String name) {
        return Optional.ofNullable(modules.get(name));
    }
}
