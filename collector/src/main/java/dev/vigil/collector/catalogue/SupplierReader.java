package dev.vigil.collector.catalogue;

import dev.vigil.config.ConfigNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads a supplier of the {@code suppliers:} section, keyed by its name:
 * {@code {kind, contact, measured_by: [..], sla: {availability: 99.95%}}}, checking that the services it
 * is measured by exist.
 */
final class SupplierReader {
    private SupplierReader() {
    }

    /**
     * Reads the supplier {@code name} at {@code node}.
     *
     * @param services the services that may measure it
     */
    static ServiceSupplier read(String name, ConfigNode node, Set<String> services) {
        if (name.equals(ServiceSupplier.PROVIDER)) {
            throw node.error("is reserved for the provider's own share of downtime: name the supplier otherwise");
        }
        node.rejectUnknown(Set.of("kind", "contact", "measured_by", "sla"));
        String kind = node.string("kind").trim().toLowerCase(Locale.ROOT);
        if (!ServiceSupplier.KIND.matcher(kind).matches()) {
            throw node.get("kind").error("must be cloud, dns, cdn, payment, network, other or another word of 1..32 "
                    + "characters of a-z, 0-9, '.', '_' or '-' (was '" + node.get("kind").text().trim() + "')");
        }
        Optional<String> contact = node.has("contact") ? Optional.of(node.string("contact").trim())
                : Optional.empty();
        ConfigNode measuredByNode = node.get("measured_by");
        List<ConfigNode> items = measuredByNode.items();
        if (items.isEmpty()) {
            throw measuredByNode.error("must name at least one service that measures the supplier");
        }
        List<String> measuredBy = new ArrayList<>();
        Map<String, String> paths = new HashMap<>();
        for (ConfigNode item : items) {
            String service = item.text().trim();
            if (!services.contains(service)) {
                throw item.error("names no service '" + service + "' (defined: " + References.list(services) + ")");
            }
            String previous = paths.putIfAbsent(service, item.path());
            if (previous != null) {
                throw item.error("names '" + service + "' again, as " + previous);
            }
            measuredBy.add(service);
        }
        OptionalDouble target = OptionalDouble.empty();
        if (node.has("sla")) {
            ConfigNode sla = node.get("sla");
            sla.rejectUnknown(Set.of("availability"));
            target = OptionalDouble.of(SlaReader.share(sla.get("availability")));
        }
        return new ServiceSupplier(name, kind, contact, measuredBy, target);
    }
}
