package dev.vigil.collector.assignment;

import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.config.AgentConfig;
import dev.vigil.collector.ingest.AgentAuthenticator;
import dev.vigil.collector.ingest.Authentication;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/assignments}: the checks assigned to the agent the request authenticates, as an
 * {@link AssignmentDocument}. The agent is found by its credentials exactly as for ingest (bearer
 * token, client certificate, or both, by {@link AgentAuthenticator}); unknown credentials get 401.
 * The answer carries the version as a strong {@code ETag}; a request whose {@code If-None-Match}
 * names it gets 304 without a body, so an agent polling an unchanged assignment costs a header.
 */
public final class AssignmentRoute {
    /** The route's path. */
    public static final String PATH = "/api/v1/assignments";

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentRoute.class);

    private final AgentAuthenticator authenticator;
    private final Map<String, AssignmentDocument> documents = new LinkedHashMap<>();
    private final InstantSource clock;
    private final Counter served;
    private final Counter refused;
    private final Gauge lastPoll;

    /**
     * A route serving {@code assignments} to {@code agents}, counting on {@code registry} and stamping
     * each agent's last poll with {@code clock}.
     */
    public AssignmentRoute(List<AgentConfig> agents, Assignments assignments, PrometheusRegistry registry,
            InstantSource clock) {
        this.authenticator = new AgentAuthenticator(agents);
        this.clock = clock;
        served = Counter.builder()
                .name("vigil_collector_assignment_requests_total")
                .help("Assignment requests answered, by agent and result (sent: 200 with the checks; "
                        + "not_modified: 304, the agent has the current version)")
                .labelNames("agent", "result")
                .register(registry);
        refused = Counter.builder()
                .name("vigil_collector_assignment_requests_refused_total")
                .help("Assignment requests refused for their credentials, by HTTP status (401, 403)")
                .labelNames("status")
                .register(registry);
        lastPoll = Gauge.builder()
                .name("vigil_collector_assignment_last_request_timestamp_seconds")
                .help("When each agent last asked for its assignment (epoch seconds); absent until it has")
                .unit(Unit.SECONDS)
                .labelNames("agent")
                .register(registry);
        for (AgentConfig agent : agents) {
            AssignmentDocument document = AssignmentDocument.of(agent.name(), assignments.forAgent(agent.name()));
            documents.put(agent.name(), document);
            served.labelValues(agent.name(), "sent");
            served.labelValues(agent.name(), "not_modified");
        }
        if (!assignments.checks().isEmpty()) {
            LOG.info("Assigning {} checks; versions by agent: {}", assignments.checks().size(), versions());
        }
    }

    /** Adds the route to {@code router}. */
    public void mount(Router router) {
        router.get(PATH).handler(this::serve);
    }

    /** The document each configured agent is sent. */
    public Map<String, AssignmentDocument> documents() {
        return Map.copyOf(documents);
    }

    private void serve(RoutingContext context) {
        Authentication authentication = authenticator.authenticate(context.request());
        if (authentication instanceof Authentication.Refused refusal) {
            refused.labelValues(Integer.toString(refusal.status())).inc();
            if (refusal.status() == 401) {
                context.response().putHeader("WWW-Authenticate", "Bearer");
            }
            JsonError.send(context, refusal.status(), refusal.message());
            return;
        }
        String agent = ((Authentication.Accepted) authentication).identity().agent();
        lastPoll.labelValues(agent).set(clock.millis() / 1e3);
        AssignmentDocument document = documents.get(agent);
        context.response()
                .putHeader("ETag", document.entityTag())
                .putHeader("Cache-Control", "no-cache");
        if (matches(context.request().getHeader("If-None-Match"), document)) {
            served.labelValues(agent, "not_modified").inc();
            context.response().setStatusCode(304).end();
            return;
        }
        served.labelValues(agent, "sent").inc();
        context.response()
                .putHeader("Content-Type", "application/json")
                .end(document.json());
    }

    /** Whether {@code ifNoneMatch} (a list of entity tags, weak or strong, or {@code *}) names the document's. */
    static boolean matches(String ifNoneMatch, AssignmentDocument document) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.startsWith("W/")) {
                // If-None-Match compares weakly (RFC 9110, 13.1.2).
                trimmed = trimmed.substring(2);
            }
            if (trimmed.equals("*") || trimmed.equals(document.entityTag())) {
                return true;
            }
        }
        return false;
    }

    private String versions() {
        StringBuilder text = new StringBuilder();
        documents.forEach((agent, document) -> text.append(text.length() == 0 ? "" : ", ")
                .append(agent).append('=').append(document.version()));
        return text.toString();
    }
}
