package dev.vigil.e2e;

import dev.vigil.testsupport.sinks.AlertmanagerReceiver;
import dev.vigil.testsupport.sinks.JiraReceiver;
import dev.vigil.testsupport.sinks.OpsgenieReceiver;
import dev.vigil.testsupport.sinks.PagerDutyReceiver;
import dev.vigil.testsupport.sinks.ServiceNowReceiver;
import dev.vigil.testsupport.sinks.SlackReceiver;
import dev.vigil.testsupport.sinks.TeamsReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One loopback stand-in for every kind of incident sink (PagerDuty, Opsgenie, Alertmanager, ServiceNow,
 * Jira, Slack, Teams and a signed webhook), the {@code sinks:} section of a {@code collector.yaml} that
 * points one sink of each kind at them, and the environment holding that section's credentials.
 */
final class IncidentReceivers implements AutoCloseable {
    /** The sink names of {@link #sinksYaml()}, in configuration order. */
    static final String[] SINKS = {"pd", "og", "am", "snow", "jira", "slack", "teams", "hook"};
    /** The webhook sink's signing key. */
    static final byte[] HOOK_KEY = "an e2e webhook signing key, 32 b".getBytes(StandardCharsets.UTF_8);

    private static final String PD_ROUTING_KEY = "R0UT1NGKEY0E2E0000000000000000AA";
    private static final String OPSGENIE_KEY = "e2e-genie-key";
    private static final String SNOW_USER = "vigil";
    private static final String SNOW_PASSWORD = "e2e-snow-password";
    private static final String JIRA_USER = "bot@example.com";
    private static final String JIRA_TOKEN = "e2e-jira-token";

    final PagerDutyReceiver pagerDuty;
    final OpsgenieReceiver opsgenie;
    final AlertmanagerReceiver alertmanager;
    final ServiceNowReceiver serviceNow;
    final JiraReceiver jira;
    final SlackReceiver slack;
    final TeamsReceiver teams;
    final RecordingWebhookReceiver webhook;

    private IncidentReceivers() throws IOException {
        pagerDuty = PagerDutyReceiver.start(PD_ROUTING_KEY);
        opsgenie = OpsgenieReceiver.start(OPSGENIE_KEY);
        alertmanager = AlertmanagerReceiver.start();
        serviceNow = ServiceNowReceiver.start(SNOW_USER, SNOW_PASSWORD);
        jira = JiraReceiver.start(JIRA_USER, JIRA_TOKEN);
        slack = SlackReceiver.start();
        teams = TeamsReceiver.start();
        webhook = RecordingWebhookReceiver.start();
    }

    /** Starts every receiver on an ephemeral port of 127.0.0.1; closing stops them all. */
    static IncidentReceivers start() throws IOException {
        return new IncidentReceivers();
    }

    /**
     * The {@code sinks:} section, one sink of each kind named as in {@link #SINKS}, its credentials as
     * {@code ${...}} references to {@link #environment()}.
     *
     * @param resendEvery the Alertmanager sink's {@code resend_every}, e.g. {@code 1s}
     */
    String sinksYaml(String resendEvery) {
        return """
                sinks:
                  - {name: pd, type: pagerduty, url: "%s", routing_key: "${E2E_PD_ROUTING_KEY}", timeout: 3s}
                  - {name: og, type: opsgenie, base_url: "%s", api_key: "${E2E_OPSGENIE_KEY}", timeout: 3s}
                  - {name: am, type: alertmanager, url: "%s", resend_every: %s, timeout: 3s}
                  - {name: snow, type: servicenow, instance_url: "%s", username: %s, password: "${E2E_SNOW_PASSWORD}",
                     timeout: 3s}
                  - {name: jira, type: jira, base_url: "%s", project: %s, user: "%s", token: "${E2E_JIRA_TOKEN}",
                     resolve_transition: Done, timeout: 3s}
                  - {name: slack, type: slack, webhook_url: "${E2E_SLACK_URL}", timeout: 3s}
                  - {name: teams, type: teams, webhook_url: "${E2E_TEAMS_URL}", timeout: 3s}
                  - {name: hook, type: webhook, url: "%s", secrets: ["${E2E_HOOK_SECRET}"], timeout: 3s}
                """.formatted(pagerDuty.url(), opsgenie.baseUrl(), alertmanager.url(), resendEvery,
                serviceNow.instanceUrl(), SNOW_USER, jira.baseUrl(), JiraReceiver.PROJECT, JIRA_USER,
                webhook.url("/incidents"));
    }

    /** The credentials {@link #sinksYaml} refers to, for the collector's environment. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("E2E_PD_ROUTING_KEY", PD_ROUTING_KEY);
        env.put("E2E_OPSGENIE_KEY", OPSGENIE_KEY);
        env.put("E2E_SNOW_PASSWORD", SNOW_PASSWORD);
        env.put("E2E_JIRA_TOKEN", JIRA_TOKEN);
        env.put("E2E_SLACK_URL", slack.webhookUrl().toString());
        env.put("E2E_TEAMS_URL", teams.webhookUrl().toString());
        env.put("E2E_HOOK_SECRET", "whsec_" + Base64.getEncoder().encodeToString(HOOK_KEY));
        return env;
    }

    /** How many requests each receiver has answered so far, by sink name. */
    Map<String, Integer> requestCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("pd", pagerDuty.requests().size());
        counts.put("og", opsgenie.requests().size());
        counts.put("am", alertmanager.posts().size());
        counts.put("snow", serviceNow.requests().size());
        counts.put("jira", jira.requests().size());
        counts.put("slack", slack.requests().size());
        counts.put("teams", teams.requests().size());
        counts.put("hook", webhook.requests().size());
        return counts;
    }

    /** How many requests each receiver refused on purpose (429, 5xx, a dropped response): the retries provoked. */
    Map<String, Long> refusedCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("pd", pagerDuty.requests().stream().filter(r -> r.status() < 200 || r.status() >= 300).count());
        counts.put("og", opsgenie.requests().stream().filter(r -> r.status() == 429 || r.status() >= 500).count());
        counts.put("am", alertmanager.posts().stream().filter(r -> r.status() == 429 || r.status() >= 500).count());
        counts.put("snow", serviceNow.requests().stream().filter(r -> r.status() == 0 || r.status() == 429
                || r.status() >= 500).count());
        counts.put("jira", jira.requests().stream().filter(r -> r.status() == 0 || r.status() == 429
                || r.status() >= 500).count());
        counts.put("slack", slack.requests().stream().filter(r -> r.status() != 200).count());
        counts.put("teams", teams.requests().stream().filter(r -> !r.posted()).count());
        counts.put("hook", webhook.requests().stream().filter(r -> r.status() >= 300).count());
        return counts;
    }

    @Override
    public void close() {
        pagerDuty.close();
        opsgenie.close();
        alertmanager.close();
        serviceNow.close();
        jira.close();
        slack.close();
        teams.close();
        webhook.close();
    }
}
