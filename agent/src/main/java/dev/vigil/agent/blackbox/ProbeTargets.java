package dev.vigil.agent.blackbox;

import dev.vigil.config.check.DnsProbeSpec;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.IcmpProbeSpec;
import dev.vigil.config.check.ProbeSpec;
import dev.vigil.config.check.TcpProbeSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Puts a {@code /probe} request's target into a module's prototype, reading the target as
 * blackbox_exporter does: a URL for http (no scheme means {@code http://}), {@code host:port} for
 * tcp, {@code host[:port]} of the name server for dns (port 53 by default), a host for icmp.
 */
final class ProbeTargets {
    private ProbeTargets() {
    }

    /** Why a target cannot be probed; the message reads like blackbox_exporter's log line for it. */
    static final class BadTarget extends Exception {
        private static final long serialVersionUID = 1L;

        BadTarget(String message) {
            super(message);
        }
    }

    /**
     * {@code prototype} aimed at {@code target}; for http, {@code hostname} (the request's
     * {@code hostname} parameter) replaces the Host header.
     *
     * @throws BadTarget when the target does not have the form the prober needs
     */
    static ProbeSpec aim(ProbeSpec prototype, String target, Optional<String> hostname) throws BadTarget {
        try {
            return switch (prototype.type()) {
                case HTTP -> http((HttpProbeSpec) prototype, target, hostname);
                case TCP -> tcp((TcpProbeSpec) prototype, target);
                case DNS -> dns((DnsProbeSpec) prototype, target);
                case ICMP -> icmp((IcmpProbeSpec) prototype, target);
                case TLS, HOST -> throw new BadTarget("module has no blackbox prober: " + prototype.type());
            };
        } catch (IllegalArgumentException e) {
            throw new BadTarget("Invalid target " + target + ": " + e.getMessage());
        }
    }

    private static HttpProbeSpec http(HttpProbeSpec prototype, String target, Optional<String> hostname)
            throws BadTarget {
        String text = target.startsWith("http://") || target.startsWith("https://") ? target : "http://" + target;
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw new BadTarget("Could not parse target URL " + text + ": " + e.getMessage());
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new BadTarget("Could not parse target URL " + text + ": no host");
        }
        List<HttpHeader> headers = new ArrayList<>(prototype.headers());
        if (hostname.isPresent() && !hostname.get().isEmpty()) {
            headers.removeIf(header -> header.name().equalsIgnoreCase("Host"));
            try {
                headers.add(new HttpHeader("Host", hostname.get()));
            } catch (IllegalArgumentException e) {
                throw new BadTarget("Invalid hostname parameter " + hostname.get() + ": " + e.getMessage());
            }
        }
        // Go's client speaks HTTP/2 only over TLS; a plain http:// target gets HTTP/1.1.
        HttpProtocol protocol = url.getScheme().equalsIgnoreCase("https") ? prototype.protocol() : HttpProtocol.HTTP_1_1;
        return new HttpProbeSpec(url, prototype.method(), headers, prototype.body(), prototype.auth(),
                prototype.expectStatus(), prototype.bodyMustMatch(), prototype.bodyMustNotMatch(),
                prototype.headerAssertions(), prototype.jsonAssertions(), prototype.maxRedirects(), protocol,
                prototype.acceptedProtocols(), prototype.tlsRequirement(), prototype.bodySizeLimitBytes(),
                prototype.proxy(), prototype.tls(), prototype.network());
    }

    private static TcpProbeSpec tcp(TcpProbeSpec prototype, String target) throws BadTarget {
        HostAndPort address = split(target).orElseThrow(() -> new BadTarget(
                "Error splitting target address " + target + ": need host:port, IPv6 in brackets"));
        if (address.port().isEmpty()) {
            throw new BadTarget("Error splitting target address " + target + ": missing port in address");
        }
        return new TcpProbeSpec(address.host(), port(target, address.port().get()), prototype.dialogue(),
                prototype.tlsOnConnect(), prototype.tls(), prototype.network());
    }

    private static DnsProbeSpec dns(DnsProbeSpec prototype, String target) throws BadTarget {
        // As blackbox_exporter: what is not host:port is taken whole as the server, on port 53.
        Optional<HostAndPort> address = split(target).filter(split -> split.port().isPresent());
        String server = address.map(HostAndPort::host).orElse(target);
        int port = address.isPresent() ? port(target, address.get().port().get()) : 53;
        return new DnsProbeSpec(server, port, prototype.queryName(), prototype.queryType(), prototype.transport(),
                prototype.recursionDesired(), prototype.validRcodes(), prototype.answer(), prototype.authority(),
                prototype.additional(), prototype.network());
    }

    private static IcmpProbeSpec icmp(IcmpProbeSpec prototype, String target) {
        return new IcmpProbeSpec(target, prototype.count(), prototype.spacing(), prototype.payloadBytes(),
                prototype.ttl(), prototype.dontFragment(), prototype.maxLossRatio(), prototype.network());
    }

    private static int port(String target, String text) throws BadTarget {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Named service ports ("ssh") are not looked up; reported below like a bad number.
        }
        throw new BadTarget("Error splitting target address " + target + ": port must be 1..65535 (was '"
                + text + "')");
    }

    /** A target split as Go's {@code net.SplitHostPort} does; empty when it cannot be split. */
    private static Optional<HostAndPort> split(String target) {
        if (target.startsWith("[")) {
            int close = target.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            String host = target.substring(1, close);
            String rest = target.substring(close + 1);
            if (rest.isEmpty()) {
                return Optional.of(new HostAndPort(host, Optional.empty()));
            }
            return rest.startsWith(":") && rest.indexOf(':', 1) < 0
                    ? Optional.of(new HostAndPort(host, Optional.of(rest.substring(1)))) : Optional.empty();
        }
        int colon = target.indexOf(':');
        if (colon < 0) {
            return Optional.of(new HostAndPort(target, Optional.empty()));
        }
        if (target.indexOf(':', colon + 1) >= 0) {
            return Optional.empty();
        }
        return Optional.of(new HostAndPort(target.substring(0, colon), Optional.of(target.substring(colon + 1))));
    }

    private record HostAndPort(String host, Optional<String> port) {
    }
}
