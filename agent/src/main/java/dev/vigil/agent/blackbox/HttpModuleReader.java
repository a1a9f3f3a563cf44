package dev.vigil.agent.blackbox;

import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HeaderAssertion;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.StatusRange;
import dev.vigil.config.check.TlsRequirement;
import dev.vigil.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code http:} block of a module into an {@link HttpProbeSpec} prototype. */
final class HttpModuleReader {
    /** The fields of an {@code http:} block in blackbox_exporter 0.23. */
    static final Set<String> FIELDS = Set.of("valid_status_codes", "valid_http_versions", "preferred_ip_protocol",
            "ip_protocol_fallback", "skip_resolve_phase_with_proxy", "no_follow_redirects", "fail_if_ssl",
            "fail_if_not_ssl", "method", "headers", "fail_if_body_matches_regexp", "fail_if_body_not_matches_regexp",
            "fail_if_header_matches", "fail_if_header_not_matches", "body", "compression", "body_size_limit",
            "basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file", "tls_config", "proxy_url",
            "proxy_connect_header", "follow_redirects", "enable_http2");
    /** The URL of every prototype; a request swaps in its target. */
    static final URI PLACEHOLDER = URI.create("http://placeholder.invalid/");
    /** How many redirects blackbox_exporter (Go's HTTP client) follows. */
    static final int GO_MAX_REDIRECTS = 10;

    private static final Set<String> HEADER_MATCH_FIELDS = Set.of("header", "regexp", "allow_missing");
    private static final Set<String> BASIC_AUTH_FIELDS = Set.of("username", "password", "password_file");
    private static final Set<String> AUTHORIZATION_FIELDS = Set.of("type", "credentials", "credentials_file");
    private static final Set<String> OAUTH2_FIELDS = Set.of("client_id", "client_secret", "client_secret_file",
            "scopes", "token_url", "endpoint_params", "tls_config", "proxy_url");
    private static final Set<String> COMPRESSIONS = Set.of("gzip", "br", "deflate");

    private final ModuleFields fields;

    HttpModuleReader(ModuleFields fields) {
        this.fields = fields;
    }

    HttpProbeSpec read(ConfigNode block, Unsupported unsupported) {
        block.rejectUnknown(FIELDS);
        ExpectedStatus expect = validStatusCodes(block, unsupported);
        Set<HttpProtocol> versions = validVersions(block, unsupported);
        HttpMethod method = method(block, unsupported);
        List<HttpHeader> headers = headers(block, unsupported);
        String body = ModuleFields.string(block, "body", "");
        compression(block, headers, unsupported);
        long bodyLimit = block.find("body_size_limit").map(ModuleFields::size).orElse(0L);
        boolean follow = block.bool("follow_redirects", true);
        if (block.has("no_follow_redirects")) {
            follow = !block.bool("no_follow_redirects", false);
        }
        TlsRequirement tlsRequirement = tlsRequirement(block, unsupported);
        List<Pattern> bodyMustNotMatch = ModuleFields.patterns(block, "fail_if_body_matches_regexp");
        List<Pattern> bodyMustMatch = ModuleFields.patterns(block, "fail_if_body_not_matches_regexp");
        List<HeaderAssertion> headerAssertions = new ArrayList<>();
        headerAssertions.addAll(headerMatches(block, "fail_if_header_matches", false));
        headerAssertions.addAll(headerMatches(block, "fail_if_header_not_matches", true));
        Optional<HttpAuth> auth = auth(block, unsupported);
        Optional<URI> proxy = proxy(block, unsupported);
        if (block.bool("skip_resolve_phase_with_proxy", false)) {
            unsupported.add(block.get("skip_resolve_phase_with_proxy"), "is not supported by Vigil");
        }
        // Go negotiates HTTP/2 over TLS by ALPN unless enable_http2 is false; a plain http:// target
        // falls back to HTTP/1.1 when the request is built (ProbeTargets).
        HttpProtocol protocol = block.bool("enable_http2", true) ? HttpProtocol.HTTP_2 : HttpProtocol.HTTP_1_1;
        return new HttpProbeSpec(PLACEHOLDER, method, headers, body, auth, expect, bodyMustMatch, bodyMustNotMatch,
                headerAssertions, List.of(), follow ? GO_MAX_REDIRECTS : 0, protocol, versions, tlsRequirement,
                bodyLimit, proxy, fields.tls(block, unsupported), ModuleFields.network(block, false, unsupported));
    }

    private static ExpectedStatus validStatusCodes(ConfigNode block, Unsupported unsupported) {
        List<StatusRange> codes = new ArrayList<>();
        for (ConfigNode item : block.list("valid_status_codes")) {
            int code = wholeNumber(item);
            if (code < 100 || code > 599) {
                unsupported.add(item, "is not a status code Vigil can accept (100..599; was " + code + ")");
            } else {
                codes.add(new StatusRange(code, code));
            }
        }
        return codes.isEmpty() ? ExpectedStatus.SUCCESS : new ExpectedStatus(codes);
    }

    private static int wholeNumber(ConfigNode node) {
        String text = node.text().trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw node.error("must be a whole number (was '" + text + "')");
        }
    }

    private static Set<HttpProtocol> validVersions(ConfigNode block, Unsupported unsupported) {
        Set<HttpProtocol> versions = new HashSet<>();
        for (ConfigNode item : block.list("valid_http_versions")) {
            String text = item.text().trim();
            switch (text) {
                case "HTTP/1.1" -> versions.add(HttpProtocol.HTTP_1_1);
                case "HTTP/2.0", "HTTP/2" -> versions.add(HttpProtocol.HTTP_2);
                default -> unsupported.add(item, "is not an HTTP version Vigil can check (HTTP/1.1, HTTP/2.0; was '"
                        + text + "')");
            }
        }
        return versions;
    }

    private static HttpMethod method(ConfigNode block, Unsupported unsupported) {
        Optional<ConfigNode> node = block.find("method");
        if (node.isEmpty() || node.get().text().isBlank()) {
            return HttpMethod.GET;
        }
        String text = node.get().text().trim();
        for (HttpMethod method : HttpMethod.values()) {
            if (method.name().equalsIgnoreCase(text)) {
                return method;
            }
        }
        unsupported.add(node.get(), "is not a method Vigil can send (GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH; was '"
                + text + "')");
        return HttpMethod.GET;
    }

    private static List<HttpHeader> headers(ConfigNode block, Unsupported unsupported) {
        List<HttpHeader> headers = new ArrayList<>();
        Optional<ConfigNode> node = block.find("headers");
        if (node.isEmpty()) {
            return headers;
        }
        for (Map.Entry<String, ConfigNode> entry : node.get().entries().entrySet()) {
            String value = entry.getValue().text();
            try {
                headers.add(new HttpHeader(entry.getKey(), value));
            } catch (IllegalArgumentException e) {
                unsupported.add(entry.getValue(), "cannot be sent: " + e.getMessage());
            }
        }
        return headers;
    }

    /** blackbox_exporter refuses a compression that the request's own Accept-Encoding would not accept. */
    private static void compression(ConfigNode block, List<HttpHeader> headers, Unsupported unsupported) {
        Optional<ConfigNode> node = block.find("compression");
        String compression = node.map(ConfigNode::text).map(String::trim).orElse("");
        if (compression.isEmpty()) {
            return;
        }
        for (HttpHeader header : headers) {
            if (header.name().equalsIgnoreCase("Accept-Encoding") && !accepts(header.value(), compression)) {
                throw node.get().error("is " + compression + ", which the Accept-Encoding header '" + header.value()
                        + "' does not accept");
            }
        }
        String lower = compression.toLowerCase(Locale.ROOT);
        if (COMPRESSIONS.contains(lower)) {
            unsupported.add(node.get(), "is " + compression
                    + ": Vigil does not decompress response bodies (leave compression unset or identity)");
        } else if (!lower.equals("identity")) {
            unsupported.add(node.get(), "is not a known compression (gzip, br, deflate, identity; was '"
                    + compression + "')");
        }
    }

    private static boolean accepts(String acceptEncoding, String compression) {
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim();
            boolean zeroQuality = false;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim().replace(" ", "");
                zeroQuality |= parameter.matches("q=0(\\.0*)?");
            }
            if ((coding.equalsIgnoreCase(compression) || coding.equals("*")) && !zeroQuality) {
                return true;
            }
        }
        return false;
    }

    private static TlsRequirement tlsRequirement(ConfigNode block, Unsupported unsupported) {
        boolean failIfSsl = block.bool("fail_if_ssl", false);
        boolean failIfNotSsl = block.bool("fail_if_not_ssl", false);
        if (failIfSsl && failIfNotSsl) {
            unsupported.add(block.get("fail_if_not_ssl"), "together with fail_if_ssl fails every probe;"
                    + " Vigil does not run such a module");
            return TlsRequirement.ANY;
        }
        if (failIfSsl) {
            return TlsRequirement.FORBIDDEN;
        }
        return failIfNotSsl ? TlsRequirement.REQUIRED : TlsRequirement.ANY;
    }

    private static List<HeaderAssertion> headerMatches(ConfigNode block, String key, boolean mustMatch) {
        List<HeaderAssertion> assertions = new ArrayList<>();
        for (ConfigNode item : block.list(key)) {
            item.rejectUnknown(HEADER_MATCH_FIELDS);
            String header = ModuleFields.string(item, "header", "").trim();
            if (header.isEmpty()) {
                throw item.error("needs header: the header name must be set for HTTP header matchers");
            }
            if (ModuleFields.string(item, "regexp", "").isEmpty()) {
                throw item.error("needs regexp: the regexp must be set for HTTP header matchers");
            }
            assertions.add(new HeaderAssertion(header, ModuleFields.pattern(item.get("regexp")), mustMatch,
                    item.bool("allow_missing", false)));
        }
        return assertions;
    }

    private Optional<HttpAuth> auth(ConfigNode block, Unsupported unsupported) {
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of("basic_auth", "authorization", "oauth2", "bearer_token", "bearer_token_file")) {
            if (block.has(kind)) {
                kinds.add(kind);
            }
        }
        if (kinds.size() > 1) {
            throw block.get(kinds.get(1)).error("cannot be set together with " + kinds.get(0)
                    + ": at most one of basic_auth, authorization, oauth2, bearer_token and bearer_token_file");
        }
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        return switch (kinds.get(0)) {
            case "basic_auth" -> basicAuth(block.get("basic_auth"), unsupported);
            case "authorization" -> authorization(block.get("authorization"), unsupported);
            case "oauth2" -> {
                ConfigNode oauth = block.get("oauth2");
                oauth.rejectUnknown(OAUTH2_FIELDS);
                unsupported.add(oauth, "is not supported by Vigil");
                yield Optional.empty();
            }
            case "bearer_token" -> bearer(block.get("bearer_token"), block.get("bearer_token").text(), unsupported);
            default -> fields.fileText(block, "bearer_token_file", unsupported)
                    .flatMap(token -> bearer(block.get("bearer_token_file"), token, unsupported));
        };
    }

    private Optional<HttpAuth> basicAuth(ConfigNode node, Unsupported unsupported) {
        node.rejectUnknown(BASIC_AUTH_FIELDS);
        if (node.has("password") && node.has("password_file")) {
            throw node.get("password_file").error("cannot be set together with password");
        }
        String username = ModuleFields.string(node, "username", "");
        Optional<String> password = node.has("password_file")
                ? fields.fileText(node, "password_file", unsupported)
                : Optional.of(ModuleFields.string(node, "password", ""));
        if (password.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new HttpAuth.Basic(username, password.get()));
        } catch (IllegalArgumentException e) {
            unsupported.add(node, "cannot be sent by Vigil: " + e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<HttpAuth> authorization(ConfigNode node, Unsupported unsupported) {
        node.rejectUnknown(AUTHORIZATION_FIELDS);
        String type = ModuleFields.string(node, "type", "Bearer").trim();
        if (type.equalsIgnoreCase("basic")) {
            throw node.get("type").error("cannot be Basic; use basic_auth instead");
        }
        if (node.has("credentials") && node.has("credentials_file")) {
            throw node.get("credentials_file").error("cannot be set together with credentials");
        }
        if (!type.equalsIgnoreCase("bearer")) {
            unsupported.add(node.get("type"), "is " + type + "; Vigil sends only Bearer credentials");
            return Optional.empty();
        }
        Optional<String> credentials = node.has("credentials_file")
                ? fields.fileText(node, "credentials_file", unsupported)
                : Optional.of(ModuleFields.string(node, "credentials", ""));
        return credentials.flatMap(token -> bearer(node, token, unsupported));
    }

    private static Optional<HttpAuth> bearer(ConfigNode node, String token, Unsupported unsupported) {
        try {
            return Optional.of(new HttpAuth.Bearer(token.strip()));
        } catch (IllegalArgumentException e) {
            unsupported.add(node, "cannot be sent by Vigil: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<URI> proxy(ConfigNode block, Unsupported unsupported) {
        Optional<ConfigNode> node = block.find("proxy_url");
        if (block.has("proxy_connect_header")) {
            if (node.isEmpty()) {
                throw block.get("proxy_connect_header").error("needs proxy_url");
            }
            block.get("proxy_connect_header").entries();
            unsupported.add(block.get("proxy_connect_header"), "is not supported by Vigil");
        }
        if (node.isEmpty() || node.get().text().isBlank()) {
            return Optional.empty();
        }
        String text = node.get().text().trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw node.get().error("is not a URL (was '" + text + "'): " + e.getReason());
        }
        if (uri.getScheme() == null) {
            throw node.get().error("is not a URL (was '" + text + "'): missing protocol scheme");
        }
        if (!uri.getScheme().equalsIgnoreCase("http") || uri.getHost() == null) {
            unsupported.add(node.get(), "must be an http://host:port proxy for Vigil (was '" + text + "')");
            return Optional.empty();
        }
        return Optional.of(uri);
    }
}
