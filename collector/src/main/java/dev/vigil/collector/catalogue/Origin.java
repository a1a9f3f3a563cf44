package dev.vigil.collector.catalogue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Where catalogue text comes from; each accepts slightly different fields. */
enum Origin {
    /** The collector's YAML file. */
    FILE,
    /**
     * An API request body: may repeat the item's {@code name} (it must match the URL) and carry the
     * output-only {@code source}, so that what a GET returns can be PUT back.
     */
    REQUEST,
    /** The persisted API overlay, {@code catalogue.json}: also holds the audit fields the collector set. */
    OVERLAY;

    /** {@code fields} plus {@code name} and {@code source} for a request body. */
    Set<String> namedItemFields(String... fields) {
        Set<String> known = new HashSet<>(List.of(fields));
        if (this == REQUEST) {
            known.add("name");
            known.add("source");
        }
        return known;
    }
}
