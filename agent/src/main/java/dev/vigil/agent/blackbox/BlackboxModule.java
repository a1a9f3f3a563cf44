package dev.vigil.agent.blackbox;

import dev.vigil.config.check.ProbeSpec;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One module of a blackbox_exporter module file, as Vigil runs it.
 *
 * @param name        the module's name, as requested with {@code module=}
 * @param prober      the prober as written ({@code http}, {@code tcp}, {@code dns}, {@code icmp}, ...)
 * @param timeout     the module's {@code timeout}, {@link Duration#ZERO} when it names none
 * @param prototype   the probe settings with a placeholder target; empty when the module is unsupported
 * @param unsupported why Vigil cannot run this module (options and their lines); empty when it can
 */
public record BlackboxModule(
        String name, String prober, Duration timeout, Optional<ProbeSpec> prototype, Optional<String> unsupported) {

    /** Validates that a module has either a prototype or a reason why it has none. */
    public BlackboxModule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(prober, "prober");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(prototype, "prototype");
        Objects.requireNonNull(unsupported, "unsupported");
        if (prototype.isPresent() == unsupported.isPresent()) {
            throw new IllegalArgumentException("module " + name + " needs either probe settings or a reason why not");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("module " + name + " timeout must be >= 0 (was " + timeout + ")");
        }
    }
}
