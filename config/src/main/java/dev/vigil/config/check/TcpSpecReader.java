package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the fields of a {@code type: tcp} check into a {@link TcpProbeSpec}. */
final class TcpSpecReader {
    /** The fields of a TCP check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("target", "tls_on_connect", "dialogue", "tls");
    private static final Set<String> STEP_FIELDS = Set.of("expect", "send", "starttls");
    // Java writes a named group (?<name>...); RE2, which blackbox_exporter's expressions are written
    // for, also accepts (?P<name>...). Accepting both lets such an expression be copied over unchanged.
    private static final Pattern RE2_NAMED_GROUP = Pattern.compile("(?<!\\\\)\\(\\?P<");
    private static final Pattern NAMED_GROUP = Pattern.compile("(?<!\\\\)\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    private TcpSpecReader() {
    }

    static TcpProbeSpec read(ConfigNode node, SettingsReader settings) {
        InetSocketAddress address = SettingsReader.hostPort(node.get("target"), 0);
        boolean tlsOnConnect = node.bool("tls_on_connect", false);
        List<TcpStep> dialogue = dialogue(node, tlsOnConnect);
        boolean speaksTls = tlsOnConnect || dialogue.stream().anyMatch(TcpStep::startTls);
        if (node.has("tls") && !speaksTls) {
            throw node.get("tls").error("is set, but the check never speaks TLS; add tls_on_connect: true "
                    + "or a dialogue step with starttls: true");
        }
        TlsSettings tls = settings.tls(node);
        return new TcpProbeSpec(address.getHostString(), address.getPort(), dialogue, tlsOnConnect, tls,
                settings.network(node));
    }

    private static List<TcpStep> dialogue(ConfigNode node, boolean tlsOnConnect) {
        Optional<ConfigNode> list = node.find("dialogue");
        if (list.isEmpty()) {
            return List.of();
        }
        List<ConfigNode> items = list.get().items();
        if (items.isEmpty()) {
            throw list.get().error("must list at least one step; leave it out to only connect");
        }
        List<TcpStep> steps = new ArrayList<>();
        ConfigNode lastExpect = null;
        Pattern lastPattern = null;
        String tlsSince = tlsOnConnect ? "tls_on_connect" : null;
        for (ConfigNode item : items) {
            item.rejectUnknown(STEP_FIELDS);
            Optional<Pattern> expect = item.find("expect").map(TcpSpecReader::expect);
            if (expect.isPresent()) {
                lastExpect = item.get("expect");
                lastPattern = expect.get();
            }
            Optional<String> send = Optional.empty();
            if (item.has("send")) {
                send = Optional.of(item.string("send"));
                checkReferences(item.get("send"), send.get(), lastExpect, lastPattern);
            }
            boolean startTls = item.bool("starttls", false);
            if (expect.isEmpty() && send.isEmpty() && !startTls) {
                throw item.error("needs expect, send or starttls: true");
            }
            if (startTls && tlsSince != null) {
                throw item.get("starttls").error("cannot start TLS on a connection that already speaks it (since "
                        + tlsSince + ")");
            }
            if (startTls) {
                tlsSince = item.path();
            }
            steps.add(new TcpStep(expect, send, startTls));
        }
        return steps;
    }

    /** The expression at {@code node}, with RE2's {@code (?P<name>} accepted for Java's {@code (?<name>}. */
    private static Pattern expect(ConfigNode node) {
        String text = RE2_NAMED_GROUP.matcher(node.text()).replaceAll("(?<");
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw node.error("is not a valid regular expression: " + e.getDescription() + " at index " + e.getIndex());
        }
    }

    /** Checks that every group {@code text} refers to exists in the expect it follows. */
    private static void checkReferences(ConfigNode send, String text, ConfigNode expectNode, Pattern expect) {
        SendTemplate template;
        try {
            template = SendTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw send.error(e.getMessage());
        }
        for (SendTemplate.Reference reference : template.references()) {
            if (expect == null) {
                throw send.error("refers to " + reference.written() + ", but no expect comes before it "
                        + "(write $$ for a literal $)");
            }
            if (reference.numbered()) {
                int groups = expect.matcher("").groupCount();
                if (reference.group().length() > 9 || Integer.parseInt(reference.group()) > groups) {
                    throw send.error("refers to " + reference.written() + ", but the expect it follows ("
                            + expectNode.path() + ") has " + groups + (groups == 1 ? " group" : " groups"));
                }
            } else if (!namedGroups(expect).contains(reference.group())) {
                throw send.error("refers to " + reference.written() + ", but the expect it follows ("
                        + expectNode.path() + ") has no group named " + reference.group()
                        + " (write $$ for a literal $)");
            }
        }
    }

    /** The named groups of {@code pattern}; Java 17 has no API for them, so they are read from its text. */
    private static Set<String> namedGroups(Pattern pattern) {
        Set<String> names = new HashSet<>();
        Matcher matcher = NAMED_GROUP.matcher(pattern.pattern());
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
