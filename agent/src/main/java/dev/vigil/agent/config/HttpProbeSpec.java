package dev.vigil.agent.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * The settings of an HTTP check.
 *
 * @param url          the absolute {@code http} or {@code https} URL to request
 * @param method       the request method
 * @param expectStatus the status codes that count as success
 */
public record HttpProbeSpec(URI url, HttpMethod method, ExpectedStatus expectStatus) implements ProbeSpec {

    /** Validates that the URL is absolute http(s) with a host. */
    public HttpProbeSpec {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(expectStatus, "expectStatus");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("url must be http:// or https:// (was " + url + ")");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("url must name a host (was " + url + ")");
        }
    }

    /** Whether the request goes over TLS. */
    public boolean tls() {
        return url.getScheme().equalsIgnoreCase("https");
    }

    /** The port to connect to: the URL's, or 80/443 by scheme. */
    public int port() {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return tls() ? 443 : 80;
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
