package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Reads the fields of a {@code type: dns} check into a {@link DnsProbeSpec}. */
final class DnsSpecReader {
    /** The fields of a DNS check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("server", "query_name", "query_type", "transport",
            "recursion_desired", "valid_rcodes", "validate_answer", "validate_authority", "validate_additional");
    private static final Set<String> CHECK_FIELDS = Set.of(
            "fail_if_matches", "fail_if_not_matches", "fail_if_all_match", "fail_if_none_matches");

    private DnsSpecReader() {
    }

    static DnsProbeSpec read(ConfigNode node, SettingsReader settings) {
        InetSocketAddress server = SettingsReader.hostPort(node.get("server"), DnsProbeSpec.DEFAULT_PORT);
        String queryName = node.string("query_name").trim();
        Optional<String> nameProblem = DnsProbeSpec.nameProblem(queryName);
        if (nameProblem.isPresent()) {
            throw node.get("query_name").error(nameProblem.get());
        }
        DnsRecordType queryType = node.has("query_type")
                ? node.enumValue("query_type", DnsRecordType.class) : DnsRecordType.A;
        DnsTransport transport = node.has("transport")
                ? node.enumValue("transport", DnsTransport.class) : DnsTransport.UDP;
        boolean recursionDesired = node.bool("recursion_desired", true);
        Set<DnsRcode> validRcodes = node.has("valid_rcodes")
                ? validRcodes(node.get("valid_rcodes")) : Set.of(DnsRcode.NOERROR);
        return new DnsProbeSpec(server.getHostString(), server.getPort(), queryName, queryType, transport,
                recursionDesired, validRcodes, checks(node.find("validate_answer")),
                checks(node.find("validate_authority")), checks(node.find("validate_additional")),
                settings.network(node));
    }

    private static Set<DnsRcode> validRcodes(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("must list at least one response code");
        }
        Set<DnsRcode> rcodes = EnumSet.noneOf(DnsRcode.class);
        for (ConfigNode item : items) {
            rcodes.add(rcode(item));
        }
        return rcodes;
    }

    private static DnsRcode rcode(ConfigNode item) {
        String text = item.text().trim();
        for (DnsRcode rcode : DnsRcode.values()) {
            if (rcode.name().equalsIgnoreCase(text)) {
                return rcode;
            }
        }
        List<String> names = new ArrayList<>();
        for (DnsRcode rcode : DnsRcode.values()) {
            names.add(rcode.name().toLowerCase(Locale.ROOT));
        }
        throw item.error("must be one of " + String.join(", ", names) + " (was '" + text + "')");
    }

    private static DnsRecordChecks checks(Optional<ConfigNode> found) {
        if (found.isEmpty()) {
            return DnsRecordChecks.NONE;
        }
        ConfigNode node = found.get();
        node.rejectUnknown(CHECK_FIELDS);
        return new DnsRecordChecks(SettingsReader.patterns(node, "fail_if_matches"),
                SettingsReader.patterns(node, "fail_if_not_matches"),
                SettingsReader.patterns(node, "fail_if_all_match"),
                SettingsReader.patterns(node, "fail_if_none_matches"));
    }
}
