package dev.vigil.collector.evidence;

import dev.vigil.collector.api.BearerGuard;
import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /api/v1/evidence?agent=<agent>&check=<check>&limit=<n>}: the failure evidence the collector
 * keeps for one check location ({@code check} given) or for every check of one agent, newest first, at
 * most {@code limit} (1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}). It needs the admin token:
 * the agents redact credentials, but headers and bodies of internal services are still not for everyone
 * who can reach the public status page on the same port.
 */
public final class EvidenceRoutes {
    /** The default number of entries answered. */
    public static final int DEFAULT_LIMIT = 20;
    /** The most entries one request may ask for. */
    public static final int MAX_LIMIT = 500;
    private static final Set<String> PARAMETERS = Set.of("agent", "check", "limit");

    private final EvidenceIndex index;
    private final BooleanSupplier ready;
    private final BearerGuard admin;

    /**
     * Routes over {@code index}.
     *
     * @param adminToken the digest of the admin token, which reading evidence needs; none closes the route
     * @param ready      whether the replay has finished; until then the route answers 503
     */
    public EvidenceRoutes(EvidenceIndex index, Optional<TokenDigest> adminToken, BooleanSupplier ready) {
        this.index = Objects.requireNonNull(index, "index");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.admin = new BearerGuard(adminToken, "reading failure evidence through the API is disabled: set "
                + "api.admin_token and restart the collector", "the admin token");
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/evidence").handler(admin).handler(this::evidence);
    }

    private void evidence(RoutingContext context) {
        if (!ready.getAsBoolean()) {
            context.response().putHeader("Retry-After", "5");
            JsonError.send(context, 503, "the collector is replaying its journal; evidence is not complete yet");
            return;
        }
        for (String name : context.queryParams().names()) {
            if (!PARAMETERS.contains(name)) {
                JsonError.send(context, 400, "unknown parameter '" + name + "': use agent, check and limit");
                return;
            }
        }
        for (String name : PARAMETERS) {
            if (context.queryParams().getAll(name).size() > 1) {
                JsonError.send(context, 400, name + " may be given once (was given "
                        + context.queryParams().getAll(name).size() + " times)");
                return;
            }
            if (context.queryParams().contains(name) && param(context, name).isEmpty()) {
                JsonError.send(context, 400, name + " must not be empty");
                return;
            }
        }
        Optional<String> agent = param(context, "agent");
        Optional<String> check = param(context, "check");
        if (agent.isEmpty()) {
            JsonError.send(context, 400, "agent is required (e.g. ?agent=eu-west-1&check=checkout-http)");
            return;
        }
        int limit = DEFAULT_LIMIT;
        Optional<String> limitText = param(context, "limit");
        if (limitText.isPresent()) {
            try {
                limit = Integer.parseInt(limitText.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                JsonError.send(context, 400, "limit must be 1.." + MAX_LIMIT + " (was '" + limitText.get() + "')");
                return;
            }
        }
        List<EvidenceEntry> entries = new ArrayList<>();
        if (check.isPresent()) {
            entries.addAll(index.entries(new CheckKey(agent.get(), check.get())));
        } else {
            entries.addAll(index.entriesOf(agent.get()));
        }
        entries.sort(Comparator.comparingLong(EvidenceEntry::atEpochMillis).reversed()
                .thenComparing(EvidenceEntry::key));
        List<EvidenceEntry> answered = entries.subList(0, Math.min(limit, entries.size()));
        context.response().putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("evidence", EvidenceJson.of(answered)).encode());
    }

    private static Optional<String> param(RoutingContext context, String name) {
        List<String> values = context.queryParams().getAll(name);
        return values.isEmpty() ? Optional.empty()
                : Optional.of(values.get(0).strip()).filter(value -> !value.isEmpty());
    }
}
