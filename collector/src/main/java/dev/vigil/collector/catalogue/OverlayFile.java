package dev.vigil.collector.catalogue;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import dev.vigil.config.DurableFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalogue changes made through the API, persisted in {@code <data_dir>/catalogue.json}: the same
 * sections and fields as {@code collector.yaml}, plus the catalogue version, the next generated
 * maintenance id and the audit fields of maintenance windows. Written whole on every change by
 * {@link DurableFile}, so that a crash leaves the old file or the new one, never a torn one.
 */
final class OverlayFile {
    /** The format this collector writes and reads. */
    static final int FORMAT = 1;

    private static final Set<String> KEYS = Set.of("format", "version", "next_maintenance_id", "calendars", "slas",
            "services", "maintenance");

    private OverlayFile() {
    }

    /**
     * What the file holds.
     *
     * @param layer             the items, without those the YAML file now defines itself
     * @param version           the catalogue version when it was written
     * @param nextMaintenanceId the number of the next generated maintenance id
     * @param shadowed          descriptions of the items left out because the YAML file defines them now
     */
    record Contents(CatalogueLayer layer, long version, long nextMaintenanceId, List<String> shadowed) {
        static final Contents NONE = new Contents(CatalogueLayer.EMPTY, 0, 1, List.of());
    }

    /**
     * Reads {@code file}, or nothing when it does not exist. Items the YAML file also defines are left
     * out: the YAML file wins, the operator having moved the item there.
     *
     * @throws ConfigException naming the file, line and field of the first error
     * @throws IOException when the file exists but cannot be read
     */
    static Contents read(Path file, Catalogue base, Set<String> agents) throws IOException {
        if (!Files.exists(file)) {
            return Contents.NONE;
        }
        ConfigNode root = ConfigNode.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8),
                name -> null);
        root.rejectUnknown(KEYS);
        int format = root.integer("format", 1, Integer.MAX_VALUE, FORMAT);
        if (format != FORMAT) {
            throw root.get("format").error("is " + format + ", which this collector does not read (it reads "
                    + FORMAT + "); a newer collector wrote it");
        }
        long version = longValue(root, "version", 0);
        long nextId = longValue(root, "next_maintenance_id", 1);
        CatalogueLayer read = CatalogueReader.read(root, Origin.OVERLAY, base, agents);
        CatalogueLayer yaml = base.fileLayer();
        List<String> shadowed = new ArrayList<>();
        CatalogueLayer layer = new CatalogueLayer(
                unshadowed(read.calendars(), yaml.calendars().keySet(), "calendar", shadowed),
                unshadowed(read.slas(), yaml.slas().keySet(), "SLA", shadowed),
                unshadowed(read.services(), yaml.services().keySet(), "service", shadowed),
                unshadowed(read.maintenance(), yaml.maintenance().keySet(), "maintenance window", shadowed));
        return new Contents(layer, version, Math.max(1, nextId), shadowed);
    }

    /** The text of the file for {@code catalogue}'s API items. */
    static String text(Catalogue catalogue, long nextMaintenanceId) {
        CatalogueLayer api = catalogue.apiLayer();
        JsonObject calendars = new JsonObject();
        api.calendars().forEach((name, calendar) -> calendars.put(name, withoutName(CatalogueJson.calendar(calendar))));
        JsonObject slas = new JsonObject();
        api.slas().forEach((name, sla) -> slas.put(name, withoutName(CatalogueJson.sla(sla))));
        JsonArray services = new JsonArray();
        api.services().values().forEach(service -> services.add(CatalogueJson.service(service)));
        JsonArray maintenance = new JsonArray();
        api.maintenance().values().forEach(entry -> maintenance.add(CatalogueJson.maintenance(entry)));
        return CanonicalJson.write(new JsonObject()
                .put("format", FORMAT)
                .put("version", catalogue.version())
                .put("next_maintenance_id", nextMaintenanceId)
                .put("calendars", calendars)
                .put("slas", slas)
                .put("services", services)
                .put("maintenance", maintenance));
    }

    /** Replaces {@code file} with {@code text} durably. Blocking: call off the event loop. */
    static void write(Path file, String text) throws IOException {
        DurableFile.write(file, text);
    }

    private static <T> Map<String, T> unshadowed(Map<String, T> items, Set<String> fileNames, String what,
            List<String> shadowed) {
        Map<String, T> kept = new LinkedHashMap<>();
        items.forEach((name, item) -> {
            if (fileNames.contains(name)) {
                shadowed.add(what + " " + name);
            } else {
                kept.put(name, item);
            }
        });
        return kept;
    }

    private static JsonObject withoutName(JsonObject item) {
        item.remove("name");
        return item;
    }

    private static long longValue(ConfigNode root, String key, long fallback) {
        if (!root.has(key)) {
            return fallback;
        }
        String text = root.get(key).text().trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw root.get(key).error("must be a whole number >= 0 (was '" + text + "')");
        }
        return value;
    }
}
