package dev.vigil.collector.config;

import dev.vigil.collector.incident.Priority;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A configured incident sink: one record per kind of tool, read from {@code sinks:} in
 * {@code collector.yaml} (see {@code docs/incidents.md}). Credentials are {@link Secret}s.
 */
public sealed interface SinkConfig {

    /** Name, timeout and routing. */
    SinkSettings settings();

    /**
     * Which kind of tool: each record returns its own constant, so the factory's switch over it is
     * exhaustive and its cast safe (Java 17 has no pattern switch over a sealed type).
     */
    Type type();

    /** The kinds of tool, as written in {@code type:}. */
    enum Type {
        /** A generic signed webhook. */
        WEBHOOK,
        /** PagerDuty Events API v2. */
        PAGERDUTY,
        /** Opsgenie or Jira Service Management Operations. */
        OPSGENIE,
        /** Prometheus Alertmanager. */
        ALERTMANAGER,
        /** ServiceNow. */
        SERVICENOW,
        /** Jira. */
        JIRA,
        /** Slack. */
        SLACK,
        /** Microsoft Teams. */
        TEAMS;

        /** The form written in {@code type:}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The sink's name. */
    default String name() {
        return settings().name();
    }

    /** A complete priority → tool value map from a partial one and defaults for P1..P5. */
    static Map<Priority, String> byPriority(Map<Priority, String> given, String... defaults) {
        Map<Priority, String> all = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            all.put(priority, given.getOrDefault(priority, defaults[priority.ordinal()]));
        }
        return Map.copyOf(all);
    }

    /**
     * A generic webhook, signed per Standard Webhooks.
     *
     * @param url     an absolute http(s) URL
     * @param secrets signing keys, newest first; during a rotation each request carries one signature per key
     */
    record Webhook(SinkSettings settings, URI url, List<WebhookSecret> secrets) implements SinkConfig {
        @Override
        public Type type() {
            return Type.WEBHOOK;
        }

        /** Validates and copies. */
        public Webhook {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(url, "url");
            secrets = List.copyOf(secrets);
        }
    }

    /**
     * PagerDuty Events API v2.
     *
     * @param url        the events endpoint, {@code https://events.pagerduty.com/v2/enqueue} by default
     * @param routingKey the integration's routing key
     * @param severity   PagerDuty severity per priority (critical, error, warning, info)
     */
    record PagerDuty(SinkSettings settings, URI url, Secret routingKey, Map<Priority, String> severity)
            implements SinkConfig {
        @Override
        public Type type() {
            return Type.PAGERDUTY;
        }

        /** The public events endpoint. */
        public static final URI DEFAULT_URL = URI.create("https://events.pagerduty.com/v2/enqueue");

        /** Validates and fills the severity map: P1 critical, P2 error, P3 warning, P4 and P5 info. */
        public PagerDuty {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(routingKey, "routingKey");
            severity = SinkConfig.byPriority(severity, "critical", "error", "warning", "info", "info");
        }
    }

    /**
     * Opsgenie Alert API v2, or Jira Service Management Operations (the same API under another base URL).
     *
     * @param baseUrl  {@code https://api.opsgenie.com} (EU: {@code https://api.eu.opsgenie.com}; JSM:
     *                 {@code https://api.atlassian.com/jsm/ops/integration})
     * @param apiKey   the integration's API key, sent as {@code Authorization: GenieKey <key>}
     * @param priority Opsgenie priority per Vigil priority, P1..P5 by default
     * @param responders team names to notify, if any
     */
    record Opsgenie(SinkSettings settings, URI baseUrl, Secret apiKey, Map<Priority, String> priority,
            List<String> responders) implements SinkConfig {
        @Override
        public Type type() {
            return Type.OPSGENIE;
        }

        /** The public Opsgenie API. */
        public static final URI DEFAULT_URL = URI.create("https://api.opsgenie.com");
        /** Jira Service Management Operations, the default of {@code type: jsm}. */
        public static final URI JSM_URL = URI.create("https://api.atlassian.com/jsm/ops/integration");

        /** Validates and fills the priority map. */
        public Opsgenie {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(apiKey, "apiKey");
            priority = SinkConfig.byPriority(priority, "P1", "P2", "P3", "P4", "P5");
            responders = List.copyOf(responders);
        }
    }

    /**
     * Prometheus Alertmanager API v2.
     *
     * @param url         the Alertmanager base URL, e.g. {@code http://127.0.0.1:9093}
     * @param resendEvery how often a firing alert is posted again (Alertmanager resolves what is not
     *                    re-sent within its {@code resolve_timeout}), &gt; 0
     * @param severity    the {@code severity} label per priority
     * @param bearerToken sent as {@code Authorization: Bearer}, when the Alertmanager sits behind a proxy that wants it
     */
    record Alertmanager(SinkSettings settings, URI url, java.time.Duration resendEvery, Map<Priority, String> severity,
            Optional<Secret> bearerToken) implements SinkConfig {
        @Override
        public Type type() {
            return Type.ALERTMANAGER;
        }

        /** Once a minute, like Prometheus. */
        public static final java.time.Duration DEFAULT_RESEND = java.time.Duration.ofMinutes(1);

        /** Validates and fills the severity map: P1 and P2 critical, P3 warning, P4 and P5 info. */
        public Alertmanager {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(resendEvery, "resendEvery");
            Objects.requireNonNull(bearerToken, "bearerToken");
            if (resendEvery.isZero() || resendEvery.isNegative()) {
                throw new IllegalArgumentException("resend_every must be > 0 (was " + resendEvery + ")");
            }
            severity = SinkConfig.byPriority(severity, "critical", "critical", "warning", "info", "info");
        }
    }

    /**
     * ServiceNow Table API.
     *
     * @param instanceUrl     e.g. {@code https://example.service-now.com}
     * @param username        the integration user
     * @param password        its password (basic authentication)
     * @param table           the table, {@code incident} by default
     * @param assignmentGroup the group new incidents are assigned to, if any
     * @param resolvedState   the {@code state} value set on resolve, {@code 6} (Resolved) by default
     * @param closeCode       the {@code close_code} set on resolve
     */
    record ServiceNow(SinkSettings settings, URI instanceUrl, String username, Secret password, String table,
            Optional<String> assignmentGroup, String resolvedState, String closeCode) implements SinkConfig {
        @Override
        public Type type() {
            return Type.SERVICENOW;
        }

        /** Validates presence. */
        public ServiceNow {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(instanceUrl, "instanceUrl");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(assignmentGroup, "assignmentGroup");
            Objects.requireNonNull(resolvedState, "resolvedState");
            Objects.requireNonNull(closeCode, "closeCode");
        }
    }

    /**
     * Jira (Cloud or Data Center) REST API v2.
     *
     * @param baseUrl            e.g. {@code https://example.atlassian.net}
     * @param project            the project key new issues go to
     * @param issueType          the issue type name, {@code Bug} by default
     * @param user               the account (e-mail on Cloud) for basic authentication
     * @param token              its API token or password
     * @param resolveTransition  the name of the transition that closes an issue, {@code Done} by default
     * @param priority           Jira priority name per Vigil priority
     */
    record Jira(SinkSettings settings, URI baseUrl, String project, String issueType, String user, Secret token,
            String resolveTransition, Map<Priority, String> priority) implements SinkConfig {
        @Override
        public Type type() {
            return Type.JIRA;
        }

        /** Validates and fills the priority map: Highest, High, Medium, Low, Lowest. */
        public Jira {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(issueType, "issueType");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(resolveTransition, "resolveTransition");
            priority = SinkConfig.byPriority(priority, "Highest", "High", "Medium", "Low", "Lowest");
        }
    }

    /**
     * A Slack incoming webhook.
     *
     * @param webhookUrl the webhook URL, itself a secret
     */
    record Slack(SinkSettings settings, Secret webhookUrl) implements SinkConfig {
        @Override
        public Type type() {
            return Type.SLACK;
        }

        /** Validates presence. */
        public Slack {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(webhookUrl, "webhookUrl");
        }
    }

    /**
     * A Microsoft Teams incoming webhook (or a Workflows webhook taking the same message card).
     *
     * @param webhookUrl the webhook URL, itself a secret
     */
    record Teams(SinkSettings settings, Secret webhookUrl) implements SinkConfig {
        @Override
        public Type type() {
            return Type.TEAMS;
        }

        /** Validates presence. */
        public Teams {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(webhookUrl, "webhookUrl");
        }
    }
}
