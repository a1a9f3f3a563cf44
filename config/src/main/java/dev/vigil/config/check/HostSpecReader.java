package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;

/** Reads the fields of a {@code type: host} check into a {@link HostProbeSpec}. */
final class HostSpecReader {
    /** The fields of a host check besides {@code id}, {@code type}, {@code interval} and {@code timeout}. */
    static final Set<String> FIELDS = Set.of("max_cpu", "max_memory", "max_swap", "max_disk", "max_load_per_cpu", "mounts");

    private HostSpecReader() {
    }

    static HostProbeSpec read(ConfigNode node) {
        OptionalDouble maxLoad = OptionalDouble.empty();
        if (node.has("max_load_per_cpu")) {
            ConfigNode child = node.get("max_load_per_cpu");
            String text = child.text().trim();
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (!(value > 0) || Double.isInfinite(value)) {
                throw child.error("must be a number > 0, e.g. 1.5 (was '" + text + "')");
            }
            maxLoad = OptionalDouble.of(value);
        }
        return new HostProbeSpec(RatioText.read(node, "max_cpu"), RatioText.read(node, "max_memory"),
                RatioText.read(node, "max_swap"), RatioText.read(node, "max_disk"), maxLoad, mounts(node));
    }

    private static List<Path> mounts(ConfigNode node) {
        List<Path> mounts = new ArrayList<>();
        for (ConfigNode item : node.list("mounts")) {
            String text = item.text().trim();
            Path path;
            try {
                path = Path.of(text);
            } catch (InvalidPathException e) {
                throw item.error("is not a valid path (was '" + text + "'): " + e.getReason());
            }
            if (!path.isAbsolute()) {
                throw item.error("must be an absolute mount point like /var (was '" + text + "')");
            }
            path = path.normalize();
            if (mounts.contains(path)) {
                throw item.error("lists " + path + " a second time");
            }
            mounts.add(path);
        }
        return mounts;
    }
}
