package dev.vigil.agent.probe;

import dev.vigil.config.check.HttpMethod;
import dev.vigil.config.check.HttpProbeSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One request of an HTTP run: the check's own, or one a redirect led to, which may have another
 * URL, method and body.
 *
 * @param url      absolute {@code http} or {@code https}, without fragment, its path at least {@code /}
 * @param method   the method to send
 * @param body     the body to send, empty for none
 * @param sameHost whether the URL's host is the check's own: credentials go only there
 */
record HopRequest(URI url, HttpMethod method, String body, boolean sameHost) {

    HopRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(body, "body");
        url = normalized(url);
    }

    /** The check's own request. */
    static HopRequest first(HttpProbeSpec spec) {
        return new HopRequest(spec.url(), spec.method(), spec.body(), true);
    }

    boolean tls() {
        return url.getScheme().equalsIgnoreCase("https");
    }

    /** The host to connect to, without the brackets of an IPv6 literal. */
    String host() {
        String host = url.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    int port() {
        return url.getPort() != -1 ? url.getPort() : tls() ? 443 : 80;
    }

    /** The {@code Host} header: the host, and the port unless it is the scheme's default. */
    String hostHeader() {
        boolean defaultPort = url.getPort() == -1 || url.getPort() == (tls() ? 443 : 80);
        return defaultPort ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    /** The origin-form request target: path and query. */
    String requestTarget() {
        return url.getRawQuery() == null ? url.getRawPath() : url.getRawPath() + "?" + url.getRawQuery();
    }

    /** What makes two requests the same for loop detection: method and URL. */
    String key() {
        return method + " " + url;
    }

    // URI.resolve mishandles a base with an empty path ("http://a" + "b" gives "http://ab"), and a
    // fragment is never sent: both are settled here once.
    private static URI normalized(URI url) {
        Objects.requireNonNull(url, "url");
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (path.equals(url.getRawPath()) && url.getRawFragment() == null) {
            return url;
        }
        String text = url.getScheme() + "://" + url.getRawAuthority() + path
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot normalise URL " + url, e);
        }
    }
}
