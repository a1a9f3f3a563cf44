package dev.vigil.config.check;

import dev.vigil.config.ConfigNode;
import java.math.BigDecimal;
import java.util.OptionalDouble;

/** Reads a share written as a ratio ({@code 0.9}) or a percentage ({@code 90%}) into a ratio 0..1. */
final class RatioText {
    private RatioText() {
    }

    /** The ratio at {@code key} of {@code node}, if present. */
    static OptionalDouble read(ConfigNode node, String key) {
        if (!node.has(key)) {
            return OptionalDouble.empty();
        }
        ConfigNode child = node.get(key);
        String text = child.text().trim();
        boolean percent = text.endsWith("%");
        BigDecimal value;
        try {
            value = new BigDecimal(percent ? text.substring(0, text.length() - 1).trim() : text);
        } catch (NumberFormatException e) {
            throw child.error("must be a ratio like 0.9 or a percentage like 90% (was '" + text + "')");
        }
        if (percent) {
            if (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw child.error("must be 0%..100% (was '" + text + "')");
            }
            return OptionalDouble.of(value.movePointLeft(2).doubleValue());
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw child.error("must be a ratio 0..1, or a percentage like 90% (was '" + text + "')");
        }
        return OptionalDouble.of(value.doubleValue());
    }
}
