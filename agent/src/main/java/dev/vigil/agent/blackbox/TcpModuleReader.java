package dev.vigil.agent.blackbox;

import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.config.check.TcpStep;
import dev.vigil.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code tcp:} block of a module into a {@link TcpProbeSpec} prototype. */
final class TcpModuleReader {
    /** The fields of a {@code tcp:} block in blackbox_exporter 0.23. */
    static final Set<String> FIELDS = Set.of("preferred_ip_protocol", "ip_protocol_fallback", "source_ip_address",
            "query_response", "tls", "tls_config");
    /** The host of every prototype; a request swaps in its target. */
    static final String PLACEHOLDER_HOST = "placeholder.invalid";

    private static final Set<String> STEP_FIELDS = Set.of("expect", "send", "starttls");

    private final ModuleFields fields;

    TcpModuleReader(ModuleFields fields) {
        this.fields = fields;
    }

    /** The prototype, or throws {@link IllegalArgumentException} when the spec refuses the combination. */
    TcpProbeSpec read(ConfigNode block, Unsupported unsupported) {
        block.rejectUnknown(FIELDS);
        List<TcpStep> dialogue = new ArrayList<>();
        for (ConfigNode item : block.list("query_response")) {
            item.rejectUnknown(STEP_FIELDS);
            Optional<Pattern> expect = item.find("expect").filter(node -> !node.text().isEmpty())
                    .map(ModuleFields::pattern);
            Optional<String> send = item.find("send").map(ConfigNode::text).filter(text -> !text.isEmpty());
            boolean startTls = item.bool("starttls", false);
            // blackbox_exporter passes over a step that does nothing; the spec has no such step.
            if (expect.isPresent() || send.isPresent() || startTls) {
                dialogue.add(new TcpStep(expect, send, startTls));
            }
        }
        boolean tls = block.bool("tls", false);
        if (tls && dialogue.stream().anyMatch(TcpStep::startTls)) {
            // Said here in the module file's words; the spec would name its own field, tls_on_connect.
            throw new IllegalArgumentException("starttls cannot follow tls: true; the connection is already TLS");
        }
        return new TcpProbeSpec(PLACEHOLDER_HOST, 1, dialogue, tls, fields.tls(block, unsupported),
                ModuleFields.network(block, true, unsupported));
    }
}
