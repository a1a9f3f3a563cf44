package dev.vigil.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of a YAML configuration file that knows its path ({@code checks[3].timeout}) and its
 * position ({@code agent.yaml:41}), with typed getters whose errors name both.
 */
public final class ConfigNode {
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final String file;
    private final String path;
    private final Node node;
    // Null for a document parsed verbatim, whose ${NAME} are literal text.
    private final Function<String, String> env;

    private ConfigNode(String file, String path, Node node, Function<String, String> env) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.env = env;
    }

    /**
     * Reads and parses {@code file}, resolving {@code ${NAME}} from the process environment.
     *
     * @throws ConfigException when the file cannot be read or is not YAML
     */
    public static ConfigNode load(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return parse(file.getFileName().toString(), text, System::getenv);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code yaml}; {@code fileName} appears in error messages, {@code env} resolves variables.
     *
     * @throws ConfigException when the text is not a YAML mapping
     */
    public static ConfigNode parse(String fileName, String yaml, Function<String, String> env) {
        return compose(fileName, yaml, Objects.requireNonNull(env, "env"));
    }

    /**
     * Parses {@code text} (YAML, or JSON, which YAML reads) taking every {@code ${NAME}} literally: for a
     * document a program wrote from settings whose variables were resolved where they were read, such as
     * the checks a collector assigns to an agent.
     *
     * @throws ConfigException when the text is not a YAML mapping
     */
    public static ConfigNode parseVerbatim(String fileName, String text) {
        return compose(fileName, text, null);
    }

    private static ConfigNode compose(String fileName, String yaml, Function<String, String> env) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Node root;
        try (Reader reader = new StringReader(yaml)) {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException("not valid YAML: " + e.getProblem() + " at " + fileName + ":" + line, e);
        } catch (YAMLException | IOException e) {
            throw new ConfigException("not valid YAML in " + fileName + ": " + e.getMessage(), e);
        }
        if (root == null) {
            throw new ConfigException(fileName + " is empty; it must hold a YAML mapping");
        }
        ConfigNode node = new ConfigNode(fileName, "", root, env);
        if (!(root instanceof MappingNode)) {
            throw node.error("must be a YAML mapping of settings");
        }
        rejectDuplicateKeys(fileName, root);
        return node;
    }

    // The composer keeps every key of a mapping; a repeated key would silently shadow the first.
    private static void rejectDuplicateKeys(String fileName, Node node) {
        if (node instanceof MappingNode mapping) {
            Set<String> seen = new HashSet<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && !seen.add(key.getValue())) {
                    throw new ConfigException("duplicate key " + key.getValue() + " at " + fileName + ":"
                            + (key.getStartMark().getLine() + 1));
                }
                rejectDuplicateKeys(fileName, tuple.getValueNode());
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                rejectDuplicateKeys(fileName, item);
            }
        }
    }

    /** The dotted path of this node from the root, e.g. {@code checks[3].timeout}; empty for the root. */
    public String path() {
        return path;
    }

    /** Where this node starts, e.g. {@code agent.yaml:41}. */
    public String where() {
        return file + ":" + (node.getStartMark().getLine() + 1);
    }

    /** An error about this node: {@code "<path> <message> at <file>:<line>"}. */
    public ConfigException error(String message) {
        String subject = path.isEmpty() ? file : path;
        return new ConfigException(subject + " " + message + " at " + where());
    }

    /** Whether this mapping has {@code key} with a non-null value. */
    public boolean has(String key) {
        return find(key).isPresent();
    }

    /** The child {@code key} of this mapping, if present and not null. */
    public Optional<ConfigNode> find(String key) {
        for (NodeTuple tuple : mapping().getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalarKey && scalarKey.getValue().equals(key)) {
                Node value = tuple.getValueNode();
                if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
                    return Optional.empty();
                }
                return Optional.of(new ConfigNode(file, childPath(key), value, env));
            }
        }
        return Optional.empty();
    }

    /** The required child {@code key} of this mapping. */
    public ConfigNode get(String key) {
        return find(key).orElseThrow(() -> missing(key));
    }

    /** The entries of this mapping in file order. */
    public Map<String, ConfigNode> entries() {
        Map<String, ConfigNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping().getValue()) {
            String key = new ConfigNode(file, path, tuple.getKeyNode(), env).scalarText();
            entries.put(key, new ConfigNode(file, childPath(key), tuple.getValueNode(), env));
        }
        return Collections.unmodifiableMap(entries);
    }

    /** The items of this sequence. */
    public List<ConfigNode> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list");
        }
        List<ConfigNode> items = new ArrayList<>();
        List<Node> values = sequence.getValue();
        for (int i = 0; i < values.size(); i++) {
            items.add(new ConfigNode(file, path + "[" + i + "]", values.get(i), env));
        }
        return items;
    }

    /** The items of the list at {@code key}, or an empty list when it is absent. */
    public List<ConfigNode> list(String key) {
        return find(key).map(ConfigNode::items).orElse(List.of());
    }

    /**
     * Fails on any key of this mapping that is not in {@code known}, naming it and the known ones: a
     * misspelt setting is an error, not a silently ignored line.
     */
    public void rejectUnknown(Set<String> known) {
        for (NodeTuple tuple : mapping().getValue()) {
            ConfigNode key = new ConfigNode(file, path, tuple.getKeyNode(), env);
            String name = key.scalarText();
            if (!known.contains(name)) {
                throw new ConfigException("unknown field " + childPath(name) + " at " + key.where()
                        + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /**
     * This node's value as plain data, to hand a validated part of a file on (the collector serves the
     * checks it assigns as JSON): a mapping becomes a {@code Map<String, Object>} in file order, a list a
     * {@code List<Object>}, a scalar its text with environment variables resolved, and null {@code null}.
     */
    public Object plain() {
        if (node instanceof MappingNode) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, ConfigNode> entry : entries().entrySet()) {
                map.put(entry.getKey(), entry.getValue().plain());
            }
            return map;
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (ConfigNode item : items()) {
                list.add(item.plain());
            }
            return list;
        }
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL)) {
            return null;
        }
        return scalarText();
    }

    /** This scalar's text, with environment variables resolved. */
    public String text() {
        return scalarText();
    }

    /** The required string at {@code key}. */
    public String string(String key) {
        ConfigNode child = get(key);
        String value = child.text();
        if (value.isBlank()) {
            throw child.error("must not be empty");
        }
        return value;
    }

    /** The string at {@code key}, or {@code fallback} when absent. */
    public String string(String key, String fallback) {
        return find(key).map(ConfigNode::text).orElse(fallback);
    }

    /** The integer at {@code key} within {@code [min, max]}, or {@code fallback} when absent. */
    public int integer(String key, int min, int max, int fallback) {
        Optional<ConfigNode> child = find(key);
        if (child.isEmpty()) {
            return fallback;
        }
        String value = child.get().text();
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw child.get().error("must be a whole number (was '" + value + "')");
        }
        if (parsed < min || parsed > max) {
            throw child.get().error("must be between " + min + " and " + max + " (was " + parsed + ")");
        }
        return parsed;
    }

    /** The boolean at {@code key}, or {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        Optional<ConfigNode> child = find(key);
        if (child.isEmpty()) {
            return fallback;
        }
        String value = child.get().text().trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw child.get().error("must be true or false (was '" + value + "')");
        };
    }

    /** The strictly positive duration at {@code key}, or {@code fallback} when absent. */
    public Duration duration(String key, Duration fallback) {
        return find(key).map(ConfigNode::positiveDuration).orElse(fallback);
    }

    /** The required strictly positive duration at {@code key}. */
    public Duration duration(String key) {
        return get(key).positiveDuration();
    }

    /** The required absolute {@code http} or {@code https} URI at {@code key}. */
    public URI httpUri(String key) {
        ConfigNode child = get(key);
        String value = child.text().trim();
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw child.error("is not a valid URL (was '" + value + "'): " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw child.error("must be an http:// or https:// URL (was '" + value + "')");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw child.error("must name a host (was '" + value + "')");
        }
        return uri;
    }

    /** The required enum constant at {@code key}, matched case-insensitively with '-' as '_'. */
    public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
        ConfigNode child = get(key);
        String value = child.text().trim();
        String wanted = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(wanted)) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT));
        }
        throw child.error("must be one of " + String.join(", ", names) + " (was '" + value + "')");
    }

    /** The {@code host:port} listen address at {@code key}, or {@code fallback} when absent. */
    public InetSocketAddress listenAddress(String key, InetSocketAddress fallback) {
        Optional<ConfigNode> child = find(key);
        if (child.isEmpty()) {
            return fallback;
        }
        try {
            return HostPort.parse(child.get().text());
        } catch (IllegalArgumentException e) {
            throw child.get().error(e.getMessage());
        }
    }

    private Duration positiveDuration() {
        String value = text();
        Duration duration;
        try {
            duration = DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw error("is " + e.getMessage());
        }
        if (duration.isZero() || duration.isNegative()) {
            throw error("must be > 0 (was " + value.trim() + ")");
        }
        return duration;
    }

    private String scalarText() {
        if (!(node instanceof ScalarNode scalar)) {
            throw error("must be a single value, not a " + (node instanceof SequenceNode ? "list" : "mapping"));
        }
        return resolveEnvironment(scalar.getValue());
    }

    private String resolveEnvironment(String raw) {
        if (env == null) {
            return raw;
        }
        Matcher matcher = ENV.matcher(raw);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = env.apply(name);
            if (value == null) {
                value = matcher.group(2);
            }
            if (value == null) {
                throw error("refers to environment variable " + name + ", which is not set");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private MappingNode mapping() {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping of settings");
        }
        return mapping;
    }

    private ConfigException missing(String key) {
        return new ConfigException("missing required field " + childPath(key) + " at " + where());
    }

    private String childPath(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
