package dev.vigil.collector.api;

import dev.vigil.collector.config.TokenDigest;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A route handler that lets a request through only with {@code Authorization: Bearer <token>} matching
 * a configured token (compared as digests, in constant time): 403 while no token is configured, 401
 * without the header or with another token. Used by the API's writes (the admin token) and the inbound
 * Alertmanager endpoint (its own token).
 */
public final class BearerGuard implements Handler<RoutingContext> {
    private static final String BEARER = "bearer ";

    private final Optional<TokenDigest> token;
    private final String unconfigured;
    private final String what;

    /**
     * A guard for {@code token}.
     *
     * @param unconfigured the 403 message while no token is configured: which setting opens the route
     * @param what         the token's name in 401 messages, e.g. {@code the admin token}
     */
    public BearerGuard(Optional<TokenDigest> token, String unconfigured, String what) {
        this.token = Objects.requireNonNull(token, "token");
        this.unconfigured = Objects.requireNonNull(unconfigured, "unconfigured");
        this.what = Objects.requireNonNull(what, "what");
    }

    /**
     * Whether {@code context} carries the token, without answering: for a route that shows more to its
     * holders (an incident's failure evidence) and the same to everyone else.
     */
    public boolean admits(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        return token.isPresent() && header != null && header.length() > BEARER.length()
                && header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                && token.get().matches(TokenDigest.of(header.substring(BEARER.length()).trim()));
    }

    @Override
    public void handle(RoutingContext context) {
        if (token.isEmpty()) {
            JsonError.send(context, 403, unconfigured);
            return;
        }
        String header = context.request().getHeader("Authorization");
        if (header == null || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            JsonError.send(context, 401, "this request needs " + what + ": Authorization: Bearer <token>");
            return;
        }
        if (!token.get().matches(TokenDigest.of(header.substring(BEARER.length()).trim()))) {
            context.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            JsonError.send(context, 401, "the bearer token is not " + what);
            return;
        }
        context.next();
    }
}
