package dev.vigil.agent.blackbox;

import dev.vigil.config.check.IpFamily;
import dev.vigil.config.check.NetworkSettings;
import dev.vigil.config.check.TlsSettings;
import dev.vigil.config.check.TlsVersion;
import dev.vigil.config.ConfigNode;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the settings several blackbox_exporter probers share ({@code preferred_ip_protocol},
 * {@code ip_protocol_fallback}, {@code source_ip_address}, {@code tls_config}) and the value types of
 * the module file (Go durations, byte sizes, regular expressions), with blackbox_exporter's defaults.
 */
final class ModuleFields {
    /** The fields of a {@code tls_config} block. */
    static final Set<String> TLS_FIELDS = Set.of("insecure_skip_verify", "ca_file", "cert_file", "key_file",
            "server_name", "min_version", "max_version");
    private static final Map<String, TlsVersion> TLS_VERSIONS = Map.of(
            "TLS10", TlsVersion.TLS10, "TLS11", TlsVersion.TLS11, "TLS12", TlsVersion.TLS12, "TLS13", TlsVersion.TLS13);
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d*(?:\\.\\d*)?)(ns|us|µs|μs|ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMGTPE]i?B|B)?");

    private final Path folder;

    /** Fields whose file names are resolved against {@code folder}, the module file's folder. */
    ModuleFields(Path folder) {
        this.folder = folder;
    }

    /**
     * The network settings of a prober block: IPv6 preferred with fallback to IPv4 unless it says
     * otherwise, as blackbox_exporter does. {@code withSource} says whether the prober has
     * {@code source_ip_address}.
     */
    static NetworkSettings network(ConfigNode block, boolean withSource, Unsupported unsupported) {
        IpFamily family = IpFamily.IPV6;
        Optional<ConfigNode> preferred = block.find("preferred_ip_protocol");
        if (preferred.isPresent()) {
            String text = preferred.get().text().trim();
            switch (text) {
                case "ip4" -> family = IpFamily.IPV4;
                case "ip6", "" -> family = IpFamily.IPV6;
                default -> unsupported.add(preferred.get(), "must be ip4 or ip6 (was '" + text + "')");
            }
        }
        boolean fallback = block.bool("ip_protocol_fallback", true);
        Optional<InetAddress> source = Optional.empty();
        if (withSource && block.has("source_ip_address")) {
            ConfigNode node = block.get("source_ip_address");
            String text = node.text().trim();
            if (!text.isEmpty()) {
                InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
                if (address == null) {
                    unsupported.add(node, "must be an IP address (was '" + text + "')");
                } else {
                    source = Optional.of(address);
                }
            }
        }
        return new NetworkSettings(family, fallback, source, List.of());
    }

    /**
     * The {@code tls_config} block of {@code block}: verification on, TLS 1.2 to 1.3 (Go's defaults),
     * unless it says otherwise.
     */
    TlsSettings tls(ConfigNode block, Unsupported unsupported) {
        Optional<ConfigNode> found = block.find("tls_config");
        if (found.isEmpty()) {
            return TlsSettings.DEFAULT;
        }
        ConfigNode tls = found.get();
        tls.rejectUnknown(TLS_FIELDS);
        boolean verify = !tls.bool("insecure_skip_verify", false);
        Optional<Path> ca = file(tls, "ca_file", unsupported);
        Optional<Path> cert = file(tls, "cert_file", unsupported);
        Optional<Path> key = file(tls, "key_file", unsupported);
        Optional<String> serverName = tls.find("server_name").map(ConfigNode::text).map(String::trim)
                .filter(name -> !name.isEmpty());
        TlsVersion min = tlsVersion(tls, "min_version", TlsSettings.DEFAULT.minVersion());
        TlsVersion max = tlsVersion(tls, "max_version", TlsSettings.DEFAULT.maxVersion());
        if (cert.isPresent() != key.isPresent()) {
            unsupported.add(tls, "needs cert_file and key_file together");
            return TlsSettings.DEFAULT;
        }
        if (min.compareTo(max) > 0) {
            unsupported.add(tls.get("min_version"), "must not be newer than max_version " + max + " (was " + min + ")");
            return TlsSettings.DEFAULT;
        }
        return new TlsSettings(verify, ca, cert, key, serverName, min, max, Duration.ZERO);
    }

    private static TlsVersion tlsVersion(ConfigNode tls, String key, TlsVersion fallback) {
        Optional<ConfigNode> node = tls.find(key);
        if (node.isEmpty() || node.get().text().isBlank()) {
            return fallback;
        }
        String text = node.get().text().trim();
        TlsVersion version = TLS_VERSIONS.get(text);
        if (version == null) {
            throw node.get().error("is an unknown TLS version: " + text + " (known: TLS10, TLS11, TLS12, TLS13)");
        }
        return version;
    }

    /**
     * The file named at {@code key}, resolved against the module file's folder. blackbox_exporter
     * reads it only when probing, so a missing file does not stop loading: the module is unsupported.
     */
    Optional<Path> file(ConfigNode node, String key, Unsupported unsupported) {
        Optional<ConfigNode> found = node.find(key);
        if (found.isEmpty() || found.get().text().isBlank()) {
            return Optional.empty();
        }
        String text = found.get().text().trim();
        Path path;
        try {
            path = folder.resolve(text).normalize();
        } catch (InvalidPathException e) {
            unsupported.add(found.get(), "is not a valid path (was '" + text + "'): " + e.getReason());
            return Optional.empty();
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            unsupported.add(found.get(), "must be a readable file (" + path + " is not)");
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /** The text of the file named at {@code key}, trimmed of line breaks, or empty when absent or unreadable. */
    Optional<String> fileText(ConfigNode node, String key, Unsupported unsupported) {
        Optional<Path> path = file(node, key, unsupported);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(path.get()).strip());
        } catch (IOException e) {
            unsupported.add(node.get(key), "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The regular expression at {@code node} (find semantics, as Go's {@code MatchString}). */
    static Pattern pattern(ConfigNode node) {
        String text = node.text();
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw node.error("could not be compiled as a regular expression (" + e.getDescription()
                    + " at index " + e.getIndex() + " of '" + text + "')");
        }
    }

    /** The regular expressions listed at {@code key}, or none. */
    static List<Pattern> patterns(ConfigNode block, String key) {
        List<Pattern> patterns = new ArrayList<>();
        for (ConfigNode item : block.list(key)) {
            patterns.add(pattern(item));
        }
        return patterns;
    }

    /** The text at {@code key}, or {@code fallback} when absent; a list or mapping there is an error. */
    static String string(ConfigNode block, String key, String fallback) {
        return block.find(key).map(ConfigNode::text).orElse(fallback);
    }

    /**
     * A Go duration ({@code 5s}, {@code 1m30s}, {@code 1.5s}, {@code 250ms}), as blackbox_exporter
     * writes a module's {@code timeout}.
     */
    static Duration goDuration(ConfigNode node) {
        String text = node.text().trim();
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher part = GO_DURATION_PART.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (end < text.length() && part.find(end) && part.start() == end) {
            String number = part.group(1);
            if (number.isEmpty() || number.equals(".")) {
                break;
            }
            long unit = switch (part.group(2)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unit)));
            end = part.end();
        }
        if (end == 0 || end != text.length()) {
            throw node.error("is not a duration (was '" + text + "'; use e.g. 5s, 1m30s, 1.5s, 500ms)");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    /**
     * A byte size as blackbox_exporter writes {@code body_size_limit}: a number of bytes, or with a
     * unit {@code B}, {@code KB}/{@code KiB}, {@code MB}/{@code MiB}, ... (powers of 1024).
     */
    static long size(ConfigNode node) {
        String text = node.text().trim();
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw node.error("is not a size (was '" + text + "'; use e.g. 1048576, 512KB or 10MB)");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int power = "BKMGTPE".indexOf(unit.charAt(0));
        long bytes = amount;
        for (int i = 0; i < power; i++) {
            if (bytes > Long.MAX_VALUE / 1024) {
                throw node.error("is too large (was '" + text + "')");
            }
            bytes *= 1024;
        }
        return bytes;
    }
}
