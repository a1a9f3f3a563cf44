package dev.vigil.config.check;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The settings of an HTTP check: the request, what the response must look like, and how it is reached.
 *
 * @param url                the absolute {@code http} or {@code https} URL to request
 * @param method             the request method
 * @param headers            extra request headers, in order
 * @param body               the request body, empty for none
 * @param auth               credentials to send
 * @param expectStatus       the status codes that count as success
 * @param bodyMustMatch      the body must match each of these (find); else {@code BODY_MISMATCH}
 * @param bodyMustNotMatch   the body must match none of these; else {@code BODY_MISMATCH}
 * @param headerAssertions   conditions on response headers; else {@code ASSERTION_FAILED}
 * @param jsonAssertions     conditions on a JSON body; else {@code ASSERTION_FAILED}
 * @param maxRedirects       how many redirects are followed, 0..20; 0 means the redirect response
 *                           itself is judged
 * @param protocol           the HTTP version offered
 * @param acceptedProtocols  the versions the response may come in; empty means any
 * @param tlsRequirement     whether the final response must (not) come over TLS
 * @param bodySizeLimitBytes a body longer than this fails with {@code BODY_TOO_LARGE}; 0 means no limit
 * @param proxy              an HTTP proxy ({@code http://host:port}, credentials in the user info)
 * @param tls                TLS settings for {@code https} URLs
 * @param network            address family, source address and name servers
 */
public record HttpProbeSpec(
        URI url,
        HttpMethod method,
        List<HttpHeader> headers,
        String body,
        Optional<HttpAuth> auth,
        ExpectedStatus expectStatus,
        List<Pattern> bodyMustMatch,
        List<Pattern> bodyMustNotMatch,
        List<HeaderAssertion> headerAssertions,
        List<JsonAssertion> jsonAssertions,
        int maxRedirects,
        HttpProtocol protocol,
        Set<HttpProtocol> acceptedProtocols,
        TlsRequirement tlsRequirement,
        long bodySizeLimitBytes,
        Optional<URI> proxy,
        TlsSettings tls,
        NetworkSettings network) implements ProbeSpec {

    /** The most redirects a check may follow. */
    public static final int MAX_REDIRECTS = 20;
    /** The redirects followed when a check names no limit. */
    public static final int DEFAULT_MAX_REDIRECTS = 10;

    /** Validates the URL and the limits, and copies the lists. */
    public HttpProbeSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(expectStatus, "expectStatus");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(tlsRequirement, "tlsRequirement");
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(network, "network");
        headers = List.copyOf(headers);
        bodyMustMatch = List.copyOf(bodyMustMatch);
        bodyMustNotMatch = List.copyOf(bodyMustNotMatch);
        headerAssertions = List.copyOf(headerAssertions);
        jsonAssertions = List.copyOf(jsonAssertions);
        acceptedProtocols = Set.copyOf(acceptedProtocols);
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url must be http:// or https:// (was " + url + ")");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("url must name a host (was " + url + ")");
        }
        if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS) {
            throw new IllegalArgumentException("max_redirects must be 0.." + MAX_REDIRECTS + " (was " + maxRedirects + ")");
        }
        if (bodySizeLimitBytes < 0) {
            throw new IllegalArgumentException("body_size_limit must be >= 0 (was " + bodySizeLimitBytes + ")");
        }
    }

    /**
     * A {@code GET} of {@code url} with every other setting at its default: 2xx accepted, up to
     * {@value #DEFAULT_MAX_REDIRECTS} redirects followed, HTTP/1.1, TLS verified.
     */
    public static HttpProbeSpec get(URI url) {
        return new HttpProbeSpec(url, HttpMethod.GET, List.of(), "", Optional.empty(), ExpectedStatus.SUCCESS,
                List.of(), List.of(), List.of(), List.of(), DEFAULT_MAX_REDIRECTS, HttpProtocol.HTTP_1_1, Set.of(),
                TlsRequirement.ANY, 0, Optional.empty(), TlsSettings.DEFAULT, NetworkSettings.DEFAULT);
    }

    /** This spec with {@code method} set to {@code value}. */
    public HttpProbeSpec withMethod(HttpMethod value) {
        return new HttpProbeSpec(url, value, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code headers} set to {@code value}. */
    public HttpProbeSpec withHeaders(List<HttpHeader> value) {
        return new HttpProbeSpec(url, method, value, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code body} set to {@code value}. */
    public HttpProbeSpec withBody(String value) {
        return new HttpProbeSpec(url, method, headers, value, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code auth} set to {@code value}. */
    public HttpProbeSpec withAuth(Optional<HttpAuth> value) {
        return new HttpProbeSpec(url, method, headers, body, value, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code expectStatus} set to {@code value}. */
    public HttpProbeSpec withExpectStatus(ExpectedStatus value) {
        return new HttpProbeSpec(url, method, headers, body, auth, value, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code bodyMustMatch} set to {@code value}. */
    public HttpProbeSpec withBodyMustMatch(List<Pattern> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, value, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code bodyMustNotMatch} set to {@code value}. */
    public HttpProbeSpec withBodyMustNotMatch(List<Pattern> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, value, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code headerAssertions} set to {@code value}. */
    public HttpProbeSpec withHeaderAssertions(List<HeaderAssertion> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, value, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code jsonAssertions} set to {@code value}. */
    public HttpProbeSpec withJsonAssertions(List<JsonAssertion> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, value, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code maxRedirects} set to {@code value}. */
    public HttpProbeSpec withMaxRedirects(int value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, value, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code protocol} set to {@code value}. */
    public HttpProbeSpec withProtocol(HttpProtocol value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, value, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code acceptedProtocols} set to {@code value}. */
    public HttpProbeSpec withAcceptedProtocols(Set<HttpProtocol> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, value, tlsRequirement, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code tlsRequirement} set to {@code value}. */
    public HttpProbeSpec withTlsRequirement(TlsRequirement value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, value, bodySizeLimitBytes, proxy, tls, network);
    }

    /** This spec with {@code bodySizeLimitBytes} set to {@code value}. */
    public HttpProbeSpec withBodySizeLimitBytes(long value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, value, proxy, tls, network);
    }

    /** This spec with {@code proxy} set to {@code value}. */
    public HttpProbeSpec withProxy(Optional<URI> value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, value, tls, network);
    }

    /** This spec with {@code tls} set to {@code value}. */
    public HttpProbeSpec withTls(TlsSettings value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, value, network);
    }

    /** This spec with {@code network} set to {@code value}. */
    public HttpProbeSpec withNetwork(NetworkSettings value) {
        return new HttpProbeSpec(url, method, headers, body, auth, expectStatus, bodyMustMatch, bodyMustNotMatch, headerAssertions, jsonAssertions, maxRedirects, protocol, acceptedProtocols, tlsRequirement, bodySizeLimitBytes, proxy, tls, value);
    }

    /** Whether the request goes over TLS. */
    public boolean tlsUrl() {
        return url.getScheme().equalsIgnoreCase("https");
    }

    /** The port to connect to: the URL's, or 80/443 by scheme. */
    public int port() {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return tlsUrl() ? 443 : 80;
    }

    /** The host to resolve and connect to, without the brackets of an IPv6 literal. */
    public String host() {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    @Override
    public ProbeType type() {
        return ProbeType.HTTP;
    }
}
