package dev.vigil.agent.probe;

import dev.vigil.config.check.ExpectedStatus;
import dev.vigil.config.check.HeaderAssertion;
import dev.vigil.config.check.HttpProbeSpec;
import dev.vigil.config.check.HttpProtocol;
import dev.vigil.config.check.TlsRequirement;
import dev.vigil.protocol.Outcome;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpUtil;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a check demands of its final response, judged in two steps: what the head shows (status,
 * HTTP version, TLS, headers) as soon as it arrives, so a wrong status is reported even if the body
 * then stalls; and the body's expressions and JSON once the body is complete.
 */
final class ResponseChecks {
    private final ExpectedStatus expectStatus;
    private final Set<HttpProtocol> acceptedProtocols;
    private final TlsRequirement tlsRequirement;
    private final List<HeaderAssertion> headerAssertions;
    private final List<Pattern> bodyMustMatch;
    private final List<Pattern> bodyMustNotMatch;
    private final JsonChecks json;

    ResponseChecks(HttpProbeSpec spec) {
        this.expectStatus = spec.expectStatus();
        this.acceptedProtocols = spec.acceptedProtocols();
        this.tlsRequirement = spec.tlsRequirement();
        this.headerAssertions = spec.headerAssertions();
        this.bodyMustMatch = spec.bodyMustMatch();
        this.bodyMustNotMatch = spec.bodyMustNotMatch();
        this.json = new JsonChecks(spec.jsonAssertions());
    }

    /** Whether any condition needs the body's bytes. */
    boolean examinesBody() {
        return !bodyMustMatch.isEmpty() || !bodyMustNotMatch.isEmpty() || !json.isEmpty();
    }

    /**
     * The first condition on the head of the response from {@code url} that fails, if any; {@code headers}
     * as they came on the wire.
     */
    Optional<ResponseFailure> judgeHead(URI url, int status, HttpHeaders headers, SpokenVersion version,
            boolean overTls) {
        if (!expectStatus.accepts(status)) {
            return Optional.of(ResponseFailure.of(Outcome.STATUS_MISMATCH,
                    "status " + status + " from " + url + " not in " + expectStatus));
        }
        if (!acceptedProtocols.isEmpty()
                && !version.protocol().map(acceptedProtocols::contains).orElse(false)) {
            return Optional.of(ResponseFailure.of(Outcome.ASSERTION_FAILED, "response from " + url + " came in "
                    + version.label() + ", not in http_versions " + protocolNames(acceptedProtocols)));
        }
        if (tlsRequirement == TlsRequirement.REQUIRED && !overTls) {
            return Optional.of(ResponseFailure.of(Outcome.ASSERTION_FAILED,
                    "final response from " + url + " came without TLS, but require_tls is true"));
        }
        if (tlsRequirement == TlsRequirement.FORBIDDEN && overTls) {
            return Optional.of(ResponseFailure.of(Outcome.ASSERTION_FAILED,
                    "final response from " + url + " came over TLS, but require_tls is false"));
        }
        for (HeaderAssertion assertion : headerAssertions) {
            Optional<String> failure = headerFailure(assertion, headers.getAll(assertion.name()));
            if (failure.isPresent()) {
                return Optional.of(new ResponseFailure(Outcome.ASSERTION_FAILED,
                        "response from " + url + ": " + failure.get(), true));
            }
        }
        return Optional.empty();
    }

    /**
     * The first condition on the complete body that fails, if any; {@code body} as kept by
     * {@link ResponseBody}, in the charset {@code headers} name.
     */
    Optional<ResponseFailure> judgeBody(URI url, HttpHeaders headers, byte[] body) {
        if (!bodyMustMatch.isEmpty() || !bodyMustNotMatch.isEmpty()) {
            String contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
            Charset charset = contentType == null
                    ? StandardCharsets.UTF_8 : HttpUtil.getCharset(contentType, StandardCharsets.UTF_8);
            String text = new String(body, charset);
            for (Pattern pattern : bodyMustMatch) {
                if (!pattern.matcher(text).find()) {
                    return Optional.of(new ResponseFailure(Outcome.BODY_MISMATCH,
                            "body of " + url + " does not match /" + pattern + "/", true));
                }
            }
            for (Pattern pattern : bodyMustNotMatch) {
                if (pattern.matcher(text).find()) {
                    return Optional.of(new ResponseFailure(Outcome.BODY_MISMATCH,
                            "body of " + url + " matches /" + pattern + "/, which body_must_not_match forbids", true));
                }
            }
        }
        if (!json.isEmpty()) {
            return json.failure(body).map(reason -> ResponseFailure.of(Outcome.ASSERTION_FAILED,
                    "response from " + url + ": " + reason));
        }
        return Optional.empty();
    }

    private static Optional<String> headerFailure(HeaderAssertion assertion, List<String> values) {
        String name = assertion.name();
        if (values.isEmpty()) {
            return assertion.allowMissing() ? Optional.empty() : Optional.of("header " + name + " is missing");
        }
        Pattern pattern = assertion.pattern();
        if (assertion.mustMatch()) {
            for (String value : values) {
                if (pattern.matcher(value).find()) {
                    return Optional.empty();
                }
            }
            return Optional.of("header " + name + " '" + String.join("', '", values) + "' does not match /" + pattern + "/");
        }
        for (String value : values) {
            if (pattern.matcher(value).find()) {
                return Optional.of("header " + name + " '" + value + "' matches /" + pattern + "/, which it must not");
            }
        }
        return Optional.empty();
    }

    /** The protocols as written in configuration, e.g. {@code [http1.1, http2]}. */
    static String protocolNames(Set<HttpProtocol> protocols) {
        return protocols.stream().map(ResponseChecks::protocolName)
                .collect(Collectors.toCollection(TreeSet::new)).stream()
                .collect(Collectors.joining(", ", "[", "]"));
    }

    static String protocolName(HttpProtocol protocol) {
        return protocol.name().toLowerCase(Locale.ROOT).replace("_1_1", "1.1").replace("_2", "2");
    }
}
