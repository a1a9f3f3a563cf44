package dev.vigil.collector.catalogue;

import dev.vigil.config.ConfigNode;

/** Checks of the names that catalogue items are filed under. */
final class ItemNames {
    static final String SHAPE = "1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-'";

    private ItemNames() {
    }

    /** {@code name}, the key of the item at {@code node} in a mapping section, if it has the shape of a name. */
    static String key(ConfigNode node, String name) {
        if (!Catalogue.NAME.matcher(name).matches()) {
            throw node.error("is not a valid name: use " + SHAPE);
        }
        return name;
    }

    /** The required name at {@code key}, trimmed, if it has the shape of a name. */
    static String field(ConfigNode parent, String key) {
        String name = parent.string(key).trim();
        if (!Catalogue.NAME.matcher(name).matches()) {
            throw parent.get(key).error("must be " + SHAPE + " (was '" + name + "')");
        }
        return name;
    }

    /** In a request body, a {@code name} field must repeat the name in the URL. */
    static void checkBodyName(ConfigNode node, String name, Origin origin) {
        if (origin == Origin.REQUEST && node.has("name") && !node.string("name").trim().equals(name)) {
            throw node.get("name").error("must be the name in the URL, '" + name + "' (was '"
                    + node.string("name").trim() + "')");
        }
    }
}
