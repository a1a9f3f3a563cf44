package dev.vigil.collector.catalogue;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service as the provider offers it to a customer: who owns it, whom it serves, which SLA it is
 * measured against, what it depends on and which checks tell whether it is up.
 *
 * @param name        unique, 1..64 of {@code [A-Za-z0-9._-]}; appears in URLs, reports and metric labels
 * @param owner       who is responsible for it, when named
 * @param customer    whom it is provided to, when named
 * @param tier        its service tier (e.g. gold, silver, bronze, or any text), when named
 * @param description free text, when given
 * @param dependsOn   names of the services it needs, each once, never itself
 * @param sla         name of the SLA it is measured against, when it has one
 * @param checks      the checks that decide its state, each check id once; the service is DOWN when any
 *                    of them is DOWN
 * @param suppliers   names of the suppliers it depends on, each once, in the order its downtime is attributed
 *                    to them when several are down at once (see {@code docs/suppliers.md})
 */
public record Service(String name, Optional<String> owner, Optional<String> customer, Optional<String> tier,
        Optional<String> description, List<String> dependsOn, Optional<String> sla, List<ServiceCheck> checks,
        List<String> suppliers) {

    /** Validates and copies. */
    public Service {
        Objects.requireNonNull(name, "name");
        if (!Catalogue.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("service name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(customer, "customer");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(sla, "sla");
        dependsOn = List.copyOf(dependsOn);
        checks = List.copyOf(checks);
        if (dependsOn.contains(name)) {
            throw new IllegalArgumentException("service " + name + " depends on itself");
        }
        if (new HashSet<>(dependsOn).size() != dependsOn.size()) {
            throw new IllegalArgumentException("service " + name + " names a dependency twice " + dependsOn);
        }
        if (checks.stream().map(ServiceCheck::check).distinct().count() != checks.size()) {
            throw new IllegalArgumentException("service " + name + " lists a check twice");
        }
        suppliers = List.copyOf(suppliers);
        if (new HashSet<>(suppliers).size() != suppliers.size()) {
            throw new IllegalArgumentException("service " + name + " names a supplier twice " + suppliers);
        }
    }

    /** A service that depends on no supplier. */
    public Service(String name, Optional<String> owner, Optional<String> customer, Optional<String> tier,
            Optional<String> description, List<String> dependsOn, Optional<String> sla, List<ServiceCheck> checks) {
        this(name, owner, customer, tier, description, dependsOn, sla, checks, List.of());
    }

    /** A service with only a name: no owner, customer, tier, dependencies, SLA or checks. */
    public static Service named(String name) {
        return new Service(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), List.of());
    }
}
