package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import dev.vigil.config.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the settings several probe types share: the network fields of a check
 * ({@code ip_family}, {@code ip_fallback}, {@code source_address}, {@code name_servers}), its
 * {@code tls:} block, and the small value types (files, expressions, byte counts) their readers need.
 *
 * <p>The files a {@code tls:} block names live on the host that runs the check. A reader for a local
 * file resolves relative names against the file's folder and checks each file there; a reader for
 * assigned checks requires absolute names, and checks the files only where they live (on the agent,
 * not on the collector that hands the checks out).
 */
public final class SettingsReader {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,18})\\s*(B|KiB|MiB|GiB)?");
    /** The network fields a check of a network probe type may carry. */
    static final Set<String> NETWORK_FIELDS = Set.of("ip_family", "ip_fallback", "source_address", "name_servers");
    private static final Set<String> TLS_FIELDS = Set.of(
            "verify", "ca_file", "cert_file", "key_file", "server_name", "min_version", "max_version", "min_validity");

    private final Optional<Path> baseDir;
    private final boolean filesAreHere;

    /**
     * A reader resolving relative file names against {@code baseDir}, the config file's folder, and
     * checking every file named there.
     */
    public SettingsReader(Path baseDir) {
        this(Optional.of(baseDir), true);
    }

    private SettingsReader(Optional<Path> baseDir, boolean filesAreHere) {
        this.baseDir = baseDir;
        this.filesAreHere = filesAreHere;
    }

    /**
     * A reader for checks assigned by a collector: file names must be absolute; {@code filesAreHere}
     * says whether they name files of this host, to be checked (on the agent), or of another host
     * (on the collector, which cannot see the agents' disks).
     */
    static SettingsReader assigned(boolean filesAreHere) {
        return new SettingsReader(Optional.empty(), filesAreHere);
    }

    /** The network settings of check {@code node}; absent fields take {@link NetworkSettings#DEFAULT}'s values. */
    NetworkSettings network(ConfigNode node) {
        IpFamily family = NetworkSettings.DEFAULT.preferredFamily();
        if (node.has("ip_family")) {
            String text = node.string("ip_family").trim().toLowerCase(Locale.ROOT);
            family = switch (text) {
                case "ip4", "ipv4" -> IpFamily.IPV4;
                case "ip6", "ipv6" -> IpFamily.IPV6;
                default -> throw node.get("ip_family").error("must be ip4 or ip6 (was '" + text + "')");
            };
        }
        boolean fallback = node.bool("ip_fallback", NetworkSettings.DEFAULT.fallback());
        Optional<InetAddress> source = Optional.empty();
        if (node.has("source_address")) {
            String text = node.string("source_address").trim();
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(text);
            if (address == null) {
                throw node.get("source_address").error("must be an IP address (was '" + text + "')");
            }
            source = Optional.of(address);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (ConfigNode item : node.find("name_servers").map(ConfigNode::items).orElse(List.of())) {
            servers.add(hostPort(item, 53));
        }
        return new NetworkSettings(family, fallback, source, servers);
    }

    /**
     * The {@code tls:} block of {@code node}, or {@link TlsSettings#DEFAULT} when it has none; its
     * files are checked to be usable ({@link TlsFileChecks}).
     */
    public TlsSettings tls(ConfigNode node) {
        Optional<ConfigNode> found = node.find("tls");
        if (found.isEmpty()) {
            return TlsSettings.DEFAULT;
        }
        ConfigNode tls = found.get();
        tls.rejectUnknown(TLS_FIELDS);
        TlsSettings defaults = TlsSettings.DEFAULT;
        boolean verify = tls.bool("verify", defaults.verify());
        Optional<Path> ca = readableFile(tls, "ca_file");
        Optional<Path> cert = readableFile(tls, "cert_file");
        Optional<Path> key = readableFile(tls, "key_file");
        if (cert.isPresent() != key.isPresent()) {
            throw tls.error("cert_file and key_file must be set together");
        }
        Optional<String> serverName = tls.has("server_name")
                ? Optional.of(tls.string("server_name").trim()) : Optional.empty();
        if (serverName.isPresent() && serverName.get().isEmpty()) {
            throw tls.get("server_name").error("must not be empty");
        }
        TlsVersion min = tls.has("min_version") ? tls.enumValue("min_version", TlsVersion.class) : defaults.minVersion();
        TlsVersion max = tls.has("max_version") ? tls.enumValue("max_version", TlsVersion.class) : defaults.maxVersion();
        if (min.compareTo(max) > 0) {
            throw tls.get("min_version").error("must not be newer than max_version " + max + " (was " + min + ")");
        }
        Duration minValidity = tls.duration("min_validity", Duration.ZERO);
        TlsSettings settings = new TlsSettings(verify, ca, cert, key, serverName, min, max, minValidity);
        if (filesAreHere) {
            TlsFileChecks.check(node, settings);
        } else if (!verify && ca.isPresent()) {
            // The one file rule that needs no file.
            throw tls.get("ca_file").error("has no effect with verify: false; remove one of the two");
        }
        return settings;
    }

    /**
     * The file named by {@code key}, resolved against the config's folder (or absolute, in an assigned
     * check); when it is on this host it must exist and be readable.
     */
    Optional<Path> readableFile(ConfigNode node, String key) {
        if (!node.has(key)) {
            return Optional.empty();
        }
        String text = node.string(key).trim();
        Path path;
        try {
            path = baseDir.isPresent() ? baseDir.get().resolve(text).normalize() : Path.of(text).normalize();
        } catch (InvalidPathException e) {
            throw node.get(key).error("is not a valid path (was '" + text + "'): " + e.getReason());
        }
        if (baseDir.isEmpty() && !path.isAbsolute()) {
            throw node.get(key).error("must be an absolute path in an assigned check (was '" + text + "')");
        }
        if (filesAreHere && (!Files.isRegularFile(path) || !Files.isReadable(path))) {
            throw node.get(key).error("must be a readable file (" + path + " is not)");
        }
        return Optional.of(path);
    }

    /** The regular expression at {@code node}, with the compiler's complaint if it is not one. */
    static Pattern pattern(ConfigNode node) {
        String text = node.text();
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw node.error("is not a valid regular expression: " + e.getDescription() + " at index " + e.getIndex());
        }
    }

    /** The regular expressions listed under {@code key}, or none. */
    static List<Pattern> patterns(ConfigNode node, String key) {
        List<Pattern> patterns = new ArrayList<>();
        for (ConfigNode item : node.find(key).map(ConfigNode::items).orElse(List.of())) {
            patterns.add(pattern(item));
        }
        return patterns;
    }

    /** {@code host[:port]} at {@code node}; without a port, {@code defaultPort}, or an error when that is 0. */
    static InetSocketAddress hostPort(ConfigNode node, int defaultPort) {
        String text = node.text().trim();
        boolean bareIpv6 = !text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':');
        boolean hasPort = text.startsWith("[") ? text.contains("]:") : text.indexOf(':') >= 0 && !bareIpv6;
        String withPort = hasPort || defaultPort == 0 ? text : (bareIpv6 ? "[" + text + "]" : text) + ":" + defaultPort;
        InetSocketAddress address;
        try {
            address = HostPort.parse(withPort);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        // HostPort allows port 0, which means "any free port" when listening but is no port to connect to.
        if (address.getPort() < 1) {
            throw node.error("port must be 1..65535 (was " + address.getPort() + ")");
        }
        return address;
    }

    /** {@code probeFields} plus {@link #NETWORK_FIELDS}: the fields of a network probe type. */
    static Set<String> withNetwork(String... probeFields) {
        Set<String> fields = new HashSet<>(NETWORK_FIELDS);
        fields.addAll(List.of(probeFields));
        return Set.copyOf(fields);
    }

    /** A byte count: {@code 1048576}, or with a binary unit, {@code 512KiB}, {@code 10MiB}, {@code 1GiB}. */
    public static long byteCount(ConfigNode node) {
        String text = node.text().trim();
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw node.error("must be a byte count like 1048576 or 10MiB (was '" + text + "')");
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2);
        int shift = switch (unit) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            default -> 0;
        };
        if (number > Long.MAX_VALUE >> shift) {
            throw node.error("is too large (was '" + text + "')");
        }
        return number << shift;
    }
}
