package dev.vigil.agent.blackbox;

import dev.vigil.config.ConfigNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What Vigil cannot do of one module, collected while the module is read: each entry names the
 * option, why, and where it is ({@code modules.m.http.compression gzip is not supported ... at blackbox.yml:12}).
 */
final class Unsupported {
    private final List<String> reasons = new ArrayList<>();

    /** Notes that the setting at {@code node} cannot be run, because {@code why}. */
    void add(ConfigNode node, String why) {
        reasons.add(node.error(why).getMessage());
    }

    /** Notes a reason already phrased with its position. */
    void add(String reason) {
        reasons.add(reason);
    }

    boolean any() {
        return !reasons.isEmpty();
    }

    /** All reasons joined, or empty when the module can be run. */
    Optional<String> message() {
        return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    }
}
