package dev.vigil.collector.catalogue;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * A supplier the provider's services depend on (a cloud, a DNS or CDN provider, a payment provider),
 * with its own contractual availability target, declared in the {@code suppliers:} section of
 * {@code collector.yaml}. Services name it in their {@code suppliers:} list; the services in
 * {@link #measuredBy()} measure the supplier itself (e.g. a DNS resolution check), and their downtime is
 * the supplier's.
 *
 * @param name               unique, of the shape of {@link Catalogue#NAME}; never {@value #PROVIDER}, which
 *                           names the provider's own share in reports and metrics
 * @param kind               what it supplies, lower case: {@code cloud}, {@code dns}, {@code cdn},
 *                           {@code payment}, {@code network}, {@code other} or any other word of
 *                           {@code [a-z0-9._-]}, 1..32 characters
 * @param contact            whom to call, when given
 * @param measuredBy         names of the catalogue services that measure the supplier, each once, at least one
 * @param availabilityTarget the supplier's contractual availability per calendar month (UTC), in (0, 1), when
 *                           declared
 */
public record ServiceSupplier(String name, String kind, Optional<String> contact, List<String> measuredBy,
        OptionalDouble availabilityTarget) {
    /** The name of the provider's own share of downtime; no supplier may take it. */
    public static final String PROVIDER = "provider";
    /** The shape of a kind. */
    public static final Pattern KIND = Pattern.compile("[a-z0-9._-]{1,32}");

    /** Validates and copies. */
    public ServiceSupplier {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(availabilityTarget, "availabilityTarget");
        if (!Catalogue.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("supplier name must be 1..64 of [A-Za-z0-9._-] (was '" + name + "')");
        }
        if (name.equals(PROVIDER)) {
            throw new IllegalArgumentException("supplier name '" + PROVIDER + "' is reserved for the provider's own "
                    + "share of downtime");
        }
        if (!KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("supplier " + name + " kind must be 1..32 of [a-z0-9._-] (was '"
                    + kind + "')");
        }
        measuredBy = List.copyOf(measuredBy);
        if (measuredBy.isEmpty()) {
            throw new IllegalArgumentException("supplier " + name + " must be measured by at least one service");
        }
        if (new HashSet<>(measuredBy).size() != measuredBy.size()) {
            throw new IllegalArgumentException("supplier " + name + " names a measuring service twice " + measuredBy);
        }
        if (availabilityTarget.isPresent()
                && !(availabilityTarget.getAsDouble() > 0 && availabilityTarget.getAsDouble() < 1)) {
            throw new IllegalArgumentException("supplier " + name + " availability target must be in (0, 1) (was "
                    + availabilityTarget.getAsDouble() + ")");
        }
    }
}
