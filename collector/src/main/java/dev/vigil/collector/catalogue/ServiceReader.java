package dev.vigil.collector.catalogue;

import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a service: {@code {name, owner, customer, tier, description, depends_on: [..], sla,
 * checks: [{check, agents: [..], quorum, no_data_after}], suppliers: [..]}}, checking that what it names exists.
 * Dependency cycles span several services and are found by the caller.
 */
final class ServiceReader {
    private ServiceReader() {
    }

    /**
     * Reads the service at {@code node}.
     *
     * @param urlName the name in the request's URL, which a body's {@code name} must repeat; empty for
     *                files, where {@code name} is required
     */
    static Service read(ConfigNode node, Origin origin, Optional<String> urlName, References references) {
        node.rejectUnknown(origin.namedItemFields("name", "owner", "customer", "tier", "description", "depends_on",
                "sla", "checks", "suppliers"));
        String name;
        if (urlName.isPresent()) {
            name = urlName.get();
            ItemNames.checkBodyName(node, name, origin);
        } else {
            name = ItemNames.field(node, "name");
        }
        List<String> dependsOn = new ArrayList<>();
        Map<String, String> dependencyPaths = new HashMap<>();
        for (ConfigNode item : node.list("depends_on")) {
            String dependency = item.text().trim();
            if (dependency.equals(name)) {
                throw item.error("must not name the service itself");
            }
            if (!references.services().contains(dependency)) {
                throw item.error("names no service '" + dependency + "' (defined: "
                        + References.list(references.services()) + ")");
            }
            String previous = dependencyPaths.putIfAbsent(dependency, item.path());
            if (previous != null) {
                throw item.error("names '" + dependency + "' again, as " + previous);
            }
            dependsOn.add(dependency);
        }
        Optional<String> sla = node.find("sla").map(slaNode -> {
            String slaName = slaNode.text().trim();
            if (!references.slas().contains(slaName)) {
                throw slaNode.error("names no SLA '" + slaName + "' (defined: " + References.list(references.slas())
                        + ")");
            }
            return slaName;
        });
        List<String> suppliers = new ArrayList<>();
        Map<String, String> supplierPaths = new HashMap<>();
        for (ConfigNode item : node.list("suppliers")) {
            String supplier = item.text().trim();
            if (!references.suppliers().contains(supplier)) {
                throw item.error("names no supplier '" + supplier + "' for service " + name + " (suppliers: "
                        + References.list(references.suppliers()) + ")");
            }
            String previous = supplierPaths.putIfAbsent(supplier, item.path());
            if (previous != null) {
                throw item.error("names '" + supplier + "' again, as " + previous);
            }
            suppliers.add(supplier);
        }
        List<ServiceCheck> checks = new ArrayList<>();
        Map<String, String> checkPaths = new HashMap<>();
        for (ConfigNode item : node.list("checks")) {
            ServiceCheck check = check(item, references.agents());
            String previous = checkPaths.putIfAbsent(check.check(), item.path() + ".check");
            if (previous != null) {
                throw item.get("check").error("must be unique within the service (was '" + check.check() + "', as "
                        + previous + ")");
            }
            checks.add(check);
        }
        return new Service(name, text(node, "owner"), text(node, "customer"), text(node, "tier"),
                text(node, "description"), dependsOn, sla, checks, suppliers);
    }

    private static ServiceCheck check(ConfigNode item, Set<String> knownAgents) {
        item.rejectUnknown(Set.of("check", "agents", "quorum", "no_data_after"));
        String check = item.string("check").trim();
        if (!Catalogue.CHECK_ID.matcher(check).matches()) {
            throw item.get("check").error("must be a check id of 1..128 characters of A-Z, a-z, 0-9, '.', '_' or '-' "
                    + "(was '" + check + "')");
        }
        ConfigNode agentList = item.get("agents");
        List<ConfigNode> agentItems = agentList.items();
        if (agentItems.isEmpty()) {
            throw agentList.error("must name at least one agent that runs the check");
        }
        List<String> agents = new ArrayList<>();
        for (ConfigNode agentItem : agentItems) {
            String agent = agentItem.text().trim();
            if (!knownAgents.contains(agent)) {
                throw agentItem.error("names no agent '" + agent + "' (agents: " + References.list(knownAgents) + ")");
            }
            if (agents.contains(agent)) {
                throw agentItem.error("names '" + agent + "' twice");
            }
            agents.add(agent);
        }
        int quorum = item.integer("quorum", 1, agents.size(), 1);
        Optional<Duration> noDataAfter = item.find("no_data_after").map(n -> item.duration("no_data_after"));
        return new ServiceCheck(check, agents, quorum, noDataAfter);
    }

    private static Optional<String> text(ConfigNode node, String key) {
        return node.has(key) ? Optional.of(node.string(key).trim()) : Optional.empty();
    }
}
