package dev.vigil.config.check;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the fields of a {@code type: http} check into an {@link HttpProbeSpec}. */
final class HttpSpecReader {
    /** The fields of an HTTP check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = SettingsReader.withNetwork("url", "method", "headers", "body", "basic_auth",
            "bearer_token", "expect_status", "body_must_match", "body_must_not_match", "expect_headers", "expect_json",
            "max_redirects", "protocol", "http_versions", "require_tls", "body_size_limit", "proxy_url", "tls");
    private static final Set<String> BASIC_AUTH_FIELDS = Set.of("username", "password");
    private static final Set<String> HEADER_FIELDS = Set.of("name", "value");
    private static final Set<String> HEADER_ASSERTION_FIELDS = Set.of("name", "pattern", "must_match", "allow_missing");
    private static final Set<String> JSON_ASSERTION_FIELDS = Set.of("pointer", "equals", "matches");
    private static final Pattern STATUS = Pattern.compile("(\\d{3})(?:-(\\d{3}))?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern JSON_POINTER = Pattern.compile("(/([^~/]|~[01])*)*");

    private HttpSpecReader() {
    }

    static HttpProbeSpec read(ConfigNode node, SettingsReader settings) {
        URI url = node.httpUri("url");
        HttpMethod method = node.has("method") ? node.enumValue("method", HttpMethod.class) : HttpMethod.GET;
        ExpectedStatus expect = node.has("expect_status")
                ? expectedStatus(node.get("expect_status")) : ExpectedStatus.SUCCESS;
        int maxRedirects = node.integer("max_redirects", 0, HttpProbeSpec.MAX_REDIRECTS,
                HttpProbeSpec.DEFAULT_MAX_REDIRECTS);
        HttpProtocol protocol = node.find("protocol").map(HttpSpecReader::protocol).orElse(HttpProtocol.HTTP_1_1);
        Set<HttpProtocol> accepted = EnumSet.noneOf(HttpProtocol.class);
        for (ConfigNode item : node.list("http_versions")) {
            accepted.add(protocol(item));
        }
        TlsRequirement tlsRequirement = !node.has("require_tls") ? TlsRequirement.ANY
                : node.bool("require_tls", false) ? TlsRequirement.REQUIRED : TlsRequirement.FORBIDDEN;
        long bodySizeLimit = node.find("body_size_limit").map(SettingsReader::byteCount).orElse(0L);
        return new HttpProbeSpec(url, method, headers(node), node.string("body", ""), auth(node), expect,
                SettingsReader.patterns(node, "body_must_match"), SettingsReader.patterns(node, "body_must_not_match"),
                headerAssertions(node), jsonAssertions(node), maxRedirects, protocol, accepted, tlsRequirement,
                bodySizeLimit, node.find("proxy_url").map(HttpSpecReader::proxy), settings.tls(node),
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

    /** {@code headers:} as a list of {@code {name, value}} (repeatable names) or a mapping of names to values. */
    private static List<HttpHeader> headers(ConfigNode node) {
        Optional<ConfigNode> found = node.find("headers");
        if (found.isEmpty()) {
            return List.of();
        }
        ConfigNode headers = found.get();
        List<HttpHeader> result = new ArrayList<>();
        List<ConfigNode> items;
        try {
            items = headers.items();
        } catch (ConfigException notAList) {
            Map<String, ConfigNode> entries;
            try {
                entries = headers.entries();
            } catch (ConfigException notAMapping) {
                throw headers.error("must be a list of {name, value} or a mapping of header names to values");
            }
            entries.forEach((name, value) -> result.add(header(value, name, value)));
            return result;
        }
        for (ConfigNode item : items) {
            item.rejectUnknown(HEADER_FIELDS);
            result.add(header(item.get("name"), item.string("name").trim(), item.get("value")));
        }
        return result;
    }

    private static HttpHeader header(ConfigNode where, String name, ConfigNode value) {
        if (!TOKEN.matcher(name).matches()) {
            throw where.error("names header '" + name + "', which is not a valid HTTP header name");
        }
        String text = value.text();
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw value.error("must not contain a line break");
        }
        return new HttpHeader(name, text);
    }

    private static Optional<HttpAuth> auth(ConfigNode node) {
        Optional<ConfigNode> basic = node.find("basic_auth");
        if (basic.isPresent() && node.has("bearer_token")) {
            throw node.get("bearer_token").error("must not be set together with basic_auth");
        }
        if (node.has("bearer_token")) {
            return Optional.of(new HttpAuth.Bearer(node.string("bearer_token").trim()));
        }
        if (basic.isEmpty()) {
            return Optional.empty();
        }
        ConfigNode auth = basic.get();
        auth.rejectUnknown(BASIC_AUTH_FIELDS);
        String username = auth.string("username");
        if (username.indexOf(':') >= 0) {
            throw auth.get("username").error("must not contain ':' (was '" + username + "')");
        }
        return Optional.of(new HttpAuth.Basic(username, auth.string("password", "")));
    }

    private static List<HeaderAssertion> headerAssertions(ConfigNode node) {
        List<HeaderAssertion> assertions = new ArrayList<>();
        for (ConfigNode item : node.list("expect_headers")) {
            item.rejectUnknown(HEADER_ASSERTION_FIELDS);
            String name = item.string("name").trim();
            if (!TOKEN.matcher(name).matches()) {
                throw item.get("name").error("must be a valid HTTP header name (was '" + name + "')");
            }
            assertions.add(new HeaderAssertion(name, SettingsReader.pattern(item.get("pattern")),
                    item.bool("must_match", true), item.bool("allow_missing", false)));
        }
        return assertions;
    }

    private static List<JsonAssertion> jsonAssertions(ConfigNode node) {
        List<JsonAssertion> assertions = new ArrayList<>();
        for (ConfigNode item : node.list("expect_json")) {
            item.rejectUnknown(JSON_ASSERTION_FIELDS);
            String pointer = item.get("pointer").text().trim();
            if (!JSON_POINTER.matcher(pointer).matches()) {
                throw item.get("pointer").error("must be a JSON pointer like /status or /checks/0/state (was '"
                        + pointer + "')");
            }
            if (item.has("equals") && item.has("matches")) {
                throw item.get("matches").error("must not be set together with equals");
            }
            Optional<String> equals = item.find("equals").map(ConfigNode::text);
            Optional<Pattern> matches = item.find("matches").map(SettingsReader::pattern);
            assertions.add(new JsonAssertion(pointer, equals, matches));
        }
        return assertions;
    }

    /** {@code http1.1} or {@code http2}; blackbox_exporter's {@code HTTP/1.1} and {@code HTTP/2.0} too. */
    private static HttpProtocol protocol(ConfigNode node) {
        String text = node.text().trim();
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "http1.1", "http/1.1" -> HttpProtocol.HTTP_1_1;
            case "http2", "http/2", "http/2.0" -> HttpProtocol.HTTP_2;
            default -> throw node.error("must be http1.1 or http2 (was '" + text + "')");
        };
    }

    /** {@code http://[user:password@]host[:port]}: a plain HTTP proxy that tunnels with CONNECT. */
    private static URI proxy(ConfigNode node) {
        String text = node.text().trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw node.error("is not a valid URL (was '" + text + "'): " + e.getReason());
        }
        boolean http = "http".equalsIgnoreCase(uri.getScheme());
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null;
        if (!http || uri.getHost() == null || !bare) {
            throw node.error("must be http://[user:password@]host:port (was '" + redacted(uri, text) + "')");
        }
        return uri;
    }

    /** {@code text} with the password of its user info hidden, for an error message. */
    private static String redacted(URI uri, String text) {
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null || userInfo.indexOf(':') < 0) {
            return text;
        }
        return text.replace(userInfo, userInfo.substring(0, userInfo.indexOf(':')) + ":***");
    }
}
