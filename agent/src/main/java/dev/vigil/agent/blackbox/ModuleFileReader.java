package dev.vigil.agent.blackbox;

import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.ConfigNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a parsed module file into {@link BlackboxModule}s, as strictly as blackbox_exporter does
 * (an unknown field is an error), with errors that name the file, the line and the setting's path.
 */
final class ModuleFileReader {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleFileReader.class);
    private static final Set<String> ROOT_FIELDS = Set.of("modules");
    private static final Set<String> MODULE_FIELDS = Set.of("prober", "timeout", "http", "tcp", "dns", "icmp", "grpc");
    private static final Set<String> GRPC_FIELDS = Set.of("service", "preferred_ip_protocol", "ip_protocol_fallback",
            "tls", "tls_config");

    private final ConfigNode empty;
    private final ModuleFields fields;
    private final HttpModuleReader http;
    private final TcpModuleReader tcp;
    private final DnsModuleReader dns;

    ModuleFileReader(String fileName, Path folder) {
        this.empty = ConfigNode.parse(fileName, "{}", name -> null);
        this.fields = new ModuleFields(folder);
        this.http = new HttpModuleReader(fields);
        this.tcp = new TcpModuleReader(fields);
        this.dns = new DnsModuleReader(fields);
    }

    Map<String, BlackboxModule> read(ConfigNode root) {
        root.rejectUnknown(ROOT_FIELDS);
        Map<String, BlackboxModule> modules = new LinkedHashMap<>();
        Optional<ConfigNode> found = root.find("modules");
        if (found.isEmpty()) {
            return modules;
        }
        for (Map.Entry<String, ConfigNode> entry : found.get().entries().entrySet()) {
            BlackboxModule module = module(entry.getKey(), entry.getValue());
            module.unsupported().ifPresent(reason -> LOG.warn("Module {} cannot be probed by Vigil; /probe with it"
                    + " answers 400: {}", module.name(), reason));
            modules.put(entry.getKey(), module);
        }
        return modules;
    }

    private BlackboxModule module(String name, ConfigNode node) {
        node.rejectUnknown(MODULE_FIELDS);
        String prober = ModuleFields.string(node, "prober", "").trim();
        Duration timeout = node.find("timeout").map(ModuleFields::goDuration).orElse(Duration.ZERO);
        if (timeout.isNegative()) {
            // blackbox_exporter ignores a timeout that is not positive.
            timeout = Duration.ZERO;
        }
        Unsupported unsupported = new Unsupported();
        ProbeSpec prototype = null;
        // Every block is read, so that a mistake in one the prober does not use is still an error.
        for (String block : new String[] {"http", "tcp", "dns", "icmp", "grpc"}) {
            Unsupported notes = block.equals(prober) ? unsupported : new Unsupported();
            ProbeSpec spec = prototype(block, node, notes);
            if (block.equals(prober)) {
                prototype = spec;
            }
        }
        if (prober.equals("grpc")) {
            unsupported.add(node.get("prober"), "is grpc, which Vigil does not support");
        } else if (!Set.of("http", "tcp", "dns", "icmp").contains(prober)) {
            String where = node.find("prober").map(ConfigNode::where).orElse(node.where());
            unsupported.add("Unknown prober \"" + prober + "\" in module " + name + " at " + where);
        }
        if (unsupported.any() || prototype == null) {
            return new BlackboxModule(name, prober, timeout, Optional.empty(), unsupported.message());
        }
        return new BlackboxModule(name, prober, timeout, Optional.of(prototype), Optional.empty());
    }

    /** The prototype of prober {@code block} from {@code module}'s block of that name (defaults when absent). */
    private ProbeSpec prototype(String block, ConfigNode module, Unsupported unsupported) {
        Optional<ConfigNode> found = module.find(block);
        ConfigNode settings = found.orElse(empty);
        try {
            return switch (block) {
                case "http" -> http.read(settings, unsupported);
                case "tcp" -> tcp.read(settings, unsupported);
                case "dns" -> dns.read(module, found, unsupported);
                case "icmp" -> IcmpModuleReader.read(settings, unsupported);
                default -> {
                    settings.rejectUnknown(GRPC_FIELDS);
                    settings.bool("tls", false);
                    ModuleFields.network(settings, false, unsupported);
                    fields.tls(settings, unsupported);
                    yield null;
                }
            };
        } catch (IllegalArgumentException e) {
            // The spec record refused a combination blackbox_exporter accepts (starttls after tls: true, ...).
            unsupported.add(found.orElse(module), "cannot be run by Vigil: " + e.getMessage());
            return null;
        }
    }
}
