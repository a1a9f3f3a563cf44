package dev.vigil.agent.probe;

import dev.vigil.protocol.Outcome;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * One run of an HTTP check: its chain of hops (one per redirect followed), the judgement of the
 * final response, and the blackbox_exporter facts about it. The run's phases in the sample are the
 * final hop's; its total and its deadline cover every hop.
 *
 * <p>A certificate that expires sooner than {@code min_validity} does not stop the run: the response
 * is still judged, and {@link Outcome#CERT_EXPIRING} is reported only when nothing worse is.
 */
final class HttpRun {
    /** How long a run failed on its response head goes on reading the body for its evidence, at most. */
    static final Duration EVIDENCE_BODY_WAIT = Duration.ofMillis(500);

    private final HttpProbe probe;
    private final ProbeRun run;
    private final RedirectChain redirects;
    private final HttpTimings timings = new HttpTimings();
    private HttpExchange exchange;
    private Optional<String> expiring = Optional.empty();
    private boolean failedDueToRegex;

    HttpRun(HttpProbe probe, ProbeRun run) {
        this.probe = probe;
        this.run = run;
        HopRequest first = HopRequest.first(probe.spec());
        this.redirects = new RedirectChain(first, Math.max(1, probe.spec().maxRedirects()));
        this.exchange = new HttpExchange(probe, this, run, first);
    }

    /** Starts the run; call on its loop. */
    void start() {
        run.beforeFinish(this::recordFacts);
        run.begin();
        exchange.start();
    }

    /** {@code hop} completed a TLS handshake whose server presented {@code chain}. */
    void handshaken(HttpExchange hop, List<X509Certificate> chain) {
        if (expiring.isEmpty()) {
            expiring = TlsSessionFacts.expiringTooSoon(chain, probe.spec().tls().minValidity(), probe.clock().instant())
                    .map(reason -> "TLS certificate of " + hop.target() + ": " + reason);
        }
    }

    /**
     * The head of {@code hop}'s response arrived: follows a redirect, fails the run on a head the
     * check rejects, or returns the body to read.
     */
    Optional<ResponseBody> head(HttpExchange hop, HttpResponse response) {
        int status = response.status().code();
        String location = response.headers().get(HttpHeaderNames.LOCATION);
        if (probe.spec().maxRedirects() > 0 && RedirectChain.isRedirect(status) && location != null) {
            RedirectChain.Step step = redirects.follow(hop.request(), status, location);
            if (step instanceof RedirectChain.Stop stop) {
                fail(stop.failure());
            } else {
                hop.retire();
                timings.add(run.dnsNanos(), run.connectNanos(), run.tlsNanos(), hop.readyAt(), hop.firstByteAt(),
                        hop.endAt());
                exchange = new HttpExchange(probe, this, run, ((RedirectChain.Follow) step).next());
                exchange.start();
            }
            return Optional.empty();
        }
        Optional<ResponseFailure> failure = probe.checks().judgeHead(hop.request().url(), status, hop.wireHeaders(),
                hop.version(response), hop.overTls());
        if (failure.isPresent()) {
            if (run.evidence().wantsBody()) {
                // The run has failed, but the body the server sent with the failure goes into its evidence.
                failedDueToRegex = failure.get().dueToRegex();
                run.hold(failure.get().outcome(), failure.get().detail(), EVIDENCE_BODY_WAIT);
            } else {
                fail(failure.get());
            }
            return Optional.empty();
        }
        return Optional.of(new ResponseBody(probe.spec().bodySizeLimitBytes(), probe.checks().examinesBody()));
    }

    /** {@code hop}'s body grew beyond what the check allows. */
    void tooLarge(HttpExchange hop) {
        run.finish(Outcome.BODY_TOO_LARGE, hop.body().orElseThrow().tooLargeDetail(hop.request().url()));
    }

    /** {@code hop}'s response is complete: judges the body and ends the run. */
    void complete(HttpExchange hop) {
        ResponseBody body = hop.body().orElseThrow();
        byte[] kept = body.kept();
        Optional<ResponseFailure> failure = probe.checks().judgeBody(hop.request().url(), hop.wireHeaders(), kept);
        if (failure.isPresent()) {
            run.evidence().keptBody(kept, body.bytes());
            fail(failure.get());
        } else if (expiring.isPresent()) {
            run.finish(Outcome.CERT_EXPIRING, expiring.get());
        } else {
            run.finish(Outcome.OK, "");
        }
    }

    private void fail(ResponseFailure failure) {
        failedDueToRegex = failure.dueToRegex();
        run.finish(failure.outcome(), failure.detail());
    }

    /** The facts of the last response, recorded however the run ends. */
    private void recordFacts() {
        HttpExchange last = exchange;
        timings.add(run.dnsNanos(), run.connectNanos(), run.tlsNanos(), last.readyAt(), last.firstByteAt(),
                last.endAt());
        timings.record(run);
        Optional<HttpResponse> head = last.head();
        run.fact(ProbeFact.of("probe_http_status_code", run.statusCode()));
        run.fact(ProbeFact.of("probe_http_content_length",
                head.isPresent() ? contentLength(last.wireHeaders()) : 0L));
        run.fact(ProbeFact.of("probe_http_uncompressed_body_length",
                last.body().map(ResponseBody::bytes).orElse(0L)));
        run.fact(ProbeFact.of("probe_http_redirects", redirects.followed()));
        run.fact(ProbeFact.of("probe_http_ssl", head.isPresent() && last.overTls() ? 1 : 0));
        run.fact(ProbeFact.of("probe_http_version", head.map(response -> last.version(response).number()).orElse(0.0)));
        run.fact(ProbeFact.of("probe_failed_due_to_regex", failedDueToRegex ? 1 : 0));
        Optional.ofNullable(last.wireHeaders().get(HttpHeaderNames.LAST_MODIFIED))
                .map(DateFormatter::parseHttpDate)
                .map(Date::getTime)
                .ifPresent(millis -> run.fact(ProbeFact.of("probe_http_last_modified_timestamp_seconds", millis / 1000.0)));
    }

    /** The Content-Length the response announced, or -1 when it announced none (or nonsense). */
    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
