package dev.vigil.agent.blackbox;

import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.DnsRcode;
import dev.vigil.config.check.DnsRecordChecks;
import dev.vigil.config.check.DnsRecordType;
import dev.vigil.config.check.DnsTransport;
import dev.vigil.config.ConfigNode;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code dns:} block of a module into a {@link DnsProbeSpec} prototype. */
final class DnsModuleReader {
    /** The fields of a {@code dns:} block in blackbox_exporter 0.23. */
    static final Set<String> FIELDS = Set.of("preferred_ip_protocol", "ip_protocol_fallback", "dns_over_tls",
            "tls_config", "source_ip_address", "transport_protocol", "query_class", "query_name", "query_type",
            "recursion_desired", "valid_rcodes", "validate_answer_rrs", "validate_authority_rrs",
            "validate_additional_rrs");
    /** The server of every prototype; a request swaps in its target. */
    static final String PLACEHOLDER_SERVER = "placeholder.invalid";

    private static final Set<String> RECORD_CHECK_FIELDS = Set.of("fail_if_matches_regexp",
            "fail_if_not_matches_regexp", "fail_if_all_match_regexp", "fail_if_none_matches_regexp");
    /** Record types blackbox_exporter (miekg/dns) knows but Vigil's DNS probe does not ask for. */
    private static final Set<String> OTHER_TYPES = Set.of("ANY", "AXFR", "IXFR", "MAILA", "MAILB", "OPT", "CAA",
            "DS", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "CDS", "CDNSKEY", "TLSA", "SMIMEA", "SSHFP",
            "NAPTR", "HINFO", "SPF", "LOC", "CERT", "DNAME", "HTTPS", "SVCB", "URI", "OPENPGPKEY", "CSYNC", "ZONEMD",
            "KX", "IPSECKEY", "DHCID", "HIP", "TKEY", "TSIG", "TA", "DLV", "AFSDB", "RP", "MB", "MD", "MF", "MG",
            "MINFO", "MR", "NULL", "NID", "L32", "L64", "LP", "EUI48", "EUI64", "GPOS", "ISDN", "X25", "RT", "NSAPPTR",
            "PX", "SIG", "KEY", "NXT", "EID", "NIMLOC", "ATMA", "APL", "AVC", "AMTRELAY", "UINFO", "UID", "GID",
            "UNSPEC", "NINFO", "RKEY", "TALINK");
    private static final Set<String> OTHER_CLASSES = Set.of("CS", "CH", "HS", "NONE", "ANY");
    /** Response codes blackbox_exporter (miekg/dns) knows beyond RFC 1035's and RFC 2136's. */
    private static final Set<String> OTHER_RCODES = Set.of("BADSIG", "BADVERS", "BADKEY", "BADTIME", "BADMODE",
            "BADNAME", "BADALG", "BADTRUNC", "BADCOOKIE");

    private final ModuleFields fields;

    DnsModuleReader(ModuleFields fields) {
        this.fields = fields;
    }

    /** The prototype of {@code block}; {@code module} is where to point when the block is missing. */
    DnsProbeSpec read(ConfigNode module, Optional<ConfigNode> found, Unsupported unsupported) {
        if (found.isEmpty()) {
            unsupported.add(module, "needs a dns block with query_name");
            return null;
        }
        ConfigNode block = found.get();
        block.rejectUnknown(FIELDS);
        String queryName = ModuleFields.string(block, "query_name", "");
        if (queryName.isEmpty()) {
            throw block.error("needs query_name: the query name must be set for DNS modules");
        }
        DnsRecordType type = queryType(block, unsupported);
        queryClass(block, unsupported);
        DnsTransport transport = DnsTransport.UDP;
        Optional<ConfigNode> transportNode = block.find("transport_protocol");
        String transportText = transportNode.map(ConfigNode::text).map(String::trim).orElse("");
        switch (transportText) {
            case "", "udp" -> transport = DnsTransport.UDP;
            case "tcp" -> transport = DnsTransport.TCP;
            default -> unsupported.add(transportNode.get(), "must be udp or tcp (was '" + transportText + "')");
        }
        if (block.bool("dns_over_tls", false)) {
            unsupported.add(block.get("dns_over_tls"), "is not supported by Vigil");
        }
        // Only read for its files and fields: Vigil speaks no DNS over TLS.
        fields.tls(block, unsupported);
        Set<DnsRcode> rcodes = validRcodes(block, unsupported);
        return new DnsProbeSpec(PLACEHOLDER_SERVER, 53, queryName, type, transport,
                block.bool("recursion_desired", true), rcodes, checks(block, "validate_answer_rrs"),
                checks(block, "validate_authority_rrs"), checks(block, "validate_additional_rrs"),
                ModuleFields.network(block, true, unsupported));
    }

    private static DnsRecordType queryType(ConfigNode block, Unsupported unsupported) {
        Optional<ConfigNode> node = block.find("query_type");
        String text = node.map(ConfigNode::text).map(String::trim).orElse("");
        if (text.isEmpty()) {
            // blackbox_exporter asks for ANY when no type is given; Vigil's probe does not.
            unsupported.add(block, "has no query_type, so blackbox_exporter would ask for ANY, which Vigil does not"
                    + " support (set query_type: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV or TXT)");
            return DnsRecordType.A;
        }
        for (DnsRecordType type : DnsRecordType.values()) {
            if (type.name().equals(text)) {
                return type;
            }
        }
        if (OTHER_TYPES.contains(text)) {
            unsupported.add(node.get(), "is " + text + ", which Vigil does not support"
                    + " (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT)");
            return DnsRecordType.A;
        }
        throw node.get().error("is not a valid query type (was '" + text + "')");
    }

    private static void queryClass(ConfigNode block, Unsupported unsupported) {
        Optional<ConfigNode> node = block.find("query_class");
        String text = node.map(ConfigNode::text).map(String::trim).orElse("");
        if (text.isEmpty() || text.equals("IN")) {
            return;
        }
        if (OTHER_CLASSES.contains(text)) {
            unsupported.add(node.get(), "is " + text + "; Vigil asks only in class IN");
            return;
        }
        throw node.get().error("is not a valid query class (was '" + text + "')");
    }

    private static Set<DnsRcode> validRcodes(ConfigNode block, Unsupported unsupported) {
        Set<DnsRcode> rcodes = EnumSet.noneOf(DnsRcode.class);
        for (ConfigNode item : block.list("valid_rcodes")) {
            String text = item.text().trim();
            Optional<DnsRcode> rcode = rcode(text);
            if (rcode.isPresent()) {
                rcodes.add(rcode.get());
            } else if (OTHER_RCODES.contains(text)) {
                unsupported.add(item, "is " + text + ", which Vigil does not support");
            } else {
                unsupported.add(item, "is not a response code (was '" + text + "')");
            }
        }
        return rcodes.isEmpty() ? EnumSet.of(DnsRcode.NOERROR) : rcodes;
    }

    private static Optional<DnsRcode> rcode(String text) {
        for (DnsRcode rcode : DnsRcode.values()) {
            if (rcode.name().equals(text)) {
                return Optional.of(rcode);
            }
        }
        return Optional.empty();
    }

    private static DnsRecordChecks checks(ConfigNode block, String key) {
        Optional<ConfigNode> node = block.find(key);
        if (node.isEmpty()) {
            return DnsRecordChecks.NONE;
        }
        ConfigNode checks = node.get();
        checks.rejectUnknown(RECORD_CHECK_FIELDS);
        return new DnsRecordChecks(ModuleFields.patterns(checks, "fail_if_matches_regexp"),
                ModuleFields.patterns(checks, "fail_if_not_matches_regexp"),
                ModuleFields.patterns(checks, "fail_if_all_match_regexp"),
                ModuleFields.patterns(checks, "fail_if_none_matches_regexp"));
    }
}
