package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.dns.DnsNameResolver;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Probes an HTTP(S) URL the way a new client meets it: every run resolves, connects (through an
 * HTTP proxy's {@code CONNECT} tunnel if the check names one), handshakes TLS, sends one request on
 * a new connection ({@code Connection: close} in HTTP/1.1; HTTP/2 by ALPN or by prior knowledge),
 * follows redirects on new connections, and judges the final response: status, HTTP version, TLS,
 * headers, body expressions, JSON values, body size and certificate validity. One deadline covers
 * the whole run.
 *
 * <p>The body is counted as it arrives and released at once; it is kept only when a body check
 * needs it, up to {@link ResponseBody#MAX_EXAMINED_BYTES}.
 */
public final class HttpProbe implements Probe {
    private final HttpProbeSpec spec;
    private final Duration timeout;
    private final EvidenceCapture evidence;
    private final DnsNameResolver resolver;
    private final SslContext tls;
    private final InstantSource clock;
    private final Optional<HttpProxy> proxy;
    private final RequestBuilder requests;
    private final ResponseChecks checks;

    /**
     * A probe for {@code check}, whose settings are {@code spec}, resolving names, speaking TLS and
     * telling the time with what {@code factory} shares.
     *
     * @throws IllegalArgumentException when the check's TLS files cannot be used
     */
    public HttpProbe(CheckConfig check, HttpProbeSpec spec, ProbeFactory factory) {
        this.spec = spec;
        this.timeout = check.timeout();
        this.evidence = factory.evidence(check);
        this.resolver = factory.resolver(spec.network());
        // Built even for an http:// URL: a redirect may lead to https.
        this.tls = factory.tls().client(spec.tls(), spec.protocol() == HttpProtocol.HTTP_2
                ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_1_1));
        this.clock = factory.clock();
        this.proxy = spec.proxy().map(HttpProxy::of);
        this.requests = new RequestBuilder(spec);
        this.checks = new ResponseChecks(spec);
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        ProbeRun run = new ProbeRun(loop, timeout, spec.host(), spec.port(), evidence);
        HttpRun http = new HttpRun(this, run);
        loop.execute(http::start);
        return run.result();
    }

    HttpProbeSpec spec() {
        return spec;
    }

    DnsNameResolver resolver() {
        return resolver;
    }

    SslContext tls() {
        return tls;
    }

    InstantSource clock() {
        return clock;
    }

    Optional<HttpProxy> proxy() {
        return proxy;
    }

    RequestBuilder requests() {
        return requests;
    }

    ResponseChecks checks() {
        return checks;
    }
}
