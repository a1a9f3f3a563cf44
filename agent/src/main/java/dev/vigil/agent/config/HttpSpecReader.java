package dev.vigil.agent.config;

import dev.vigil.config.ConfigNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fields of a {@code type: http} check into an {@link HttpProbeSpec}. */
final class HttpSpecReader {
    /** The fields of an HTTP check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("url", "method", "expect_status", "tls");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");

    private HttpSpecReader() {
    }

    static HttpProbeSpec read(ConfigNode node, SettingsReader settings) {
        URI url = node.httpUri("url");
        HttpMethod method = node.has("method") ? node.enumValue("method", HttpMethod.class) : HttpMethod.GET;
        ExpectedStatus expect = node.has("expect_status")
                ? expectedStatus(node.get("expect_status")) : ExpectedStatus.SUCCESS;
        HttpProbeSpec defaults = HttpProbeSpec.get(url);
        return new HttpProbeSpec(url, method, defaults.headers(), defaults.body(), defaults.auth(), expect,
                defaults.bodyMustMatch(), defaults.bodyMustNotMatch(), defaults.headerAssertions(),
                defaults.jsonAssertions(), defaults.maxRedirects(), defaults.protocol(), defaults.acceptedProtocols(),
                defaults.tlsRequirement(), defaults.bodySizeLimitBytes(), Optional.empty(), settings.tls(node),
                settings.network(node));
    }

    private static ExpectedStatus expectedStatus(ConfigNode node) {
        List<ConfigNode> items = node.items();
        if (items.isEmpty()) {
            throw node.error("must list at least one status code or range");
        }
        List<StatusRange> ranges = new ArrayList<>();
        for (ConfigNode item : items) {
            String text = item.text().trim();
            Matcher matcher = STATUS.matcher(text);
            if (!matcher.matches()) {
                throw item.error("must be a status code like 204 or a range like 200-299 (was '" + text + "')");
            }
            int from = Integer.parseInt(matcher.group(1));
            int to = matcher.group(2) == null ? from : Integer.parseInt(matcher.group(2));
            if (from < 100 || to > 599 || from > to) {
                throw item.error("must be codes within 100..599, lowest first (was '" + text + "')");
            }
            ranges.add(new StatusRange(from, to));
        }
        return new ExpectedStatus(ranges);
    }
}
