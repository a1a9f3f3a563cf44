package dev.vigil.collector.catalogue;

import dev.vigil.collector.api.BearerGuard;
import dev.vigil.collector.api.JsonError;
import dev.vigil.collector.catalogue.CatalogueStore.Saved;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue's HTTP interface: {@code /api/v1/services}, {@code /api/v1/slas},
 * {@code /api/v1/calendars} and {@code /api/v1/maintenance}. Reads are open; changes need the admin
 * bearer token of {@code api.admin_token} and are refused with 403 while none is configured. Bodies are
 * JSON objects with the fields of {@code collector.yaml}; an item read can be sent back as it is (its
 * output-only {@code source} is ignored). Answers: 200, 201 with {@code Location} for a new item, 204
 * for a deletion, 400 naming the field, 401 without the token, 404, 409 for items of the YAML file and
 * for changes that would break a reference, 413 past {@value #MAX_BODY_BYTES} bytes.
 */
public final class CatalogueRoutes {
    /** The largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(CatalogueRoutes.class);
    private static final String API_SOURCE = "api";
    private static final String BUILT_IN_SOURCE = "built-in";
    /** The name request bodies are parsed under; positions in it are dropped from messages. */
    private static final String BODY = "request body";
    private static final Pattern BODY_POSITION = Pattern.compile(" at " + BODY + ":\\d+");

    /** Adds fields to a service's JSON, e.g. its live status; called on the event loop. */
    @FunctionalInterface
    public interface ServiceFields {
        /** No fields added. */
        ServiceFields NONE = (service, json) -> {
        };

        /** Adds fields about {@code service} to {@code json}, which already holds the catalogue's fields. */
        void addTo(Service service, JsonObject json);
    }

    private final CatalogueStore store;
    private final Optional<TokenDigest> adminToken;
    private final InstantSource clock;
    private final ServiceFields serviceFields;
    private final BodyHandler bodyHandler = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

    /**
     * Routes over {@code store}.
     *
     * @param adminToken    the digest of the token that allows changes; none makes the API read-only
     * @param clock         the time maintenance windows are created and ended at
     * @param serviceFields what else a service's JSON shows
     */
    public CatalogueRoutes(CatalogueStore store, Optional<TokenDigest> adminToken, InstantSource clock,
            ServiceFields serviceFields) {
        this.store = Objects.requireNonNull(store, "store");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serviceFields = Objects.requireNonNull(serviceFields, "serviceFields");
    }

    /** Routes whose services show the catalogue's fields only. */
    public CatalogueRoutes(CatalogueStore store, Optional<TokenDigest> adminToken, InstantSource clock) {
        this(store, adminToken, clock, ServiceFields.NONE);
    }

    /** Adds the routes to {@code router}. */
    public void mount(Router router) {
        router.get("/api/v1/services").handler(this::services);
        router.get("/api/v1/services/:name").handler(this::service);
        change(router.put("/api/v1/services/:name"), this::putService);
        change(router.delete("/api/v1/services/:name"), this::deleteService);
        router.get("/api/v1/slas").handler(this::slas);
        router.get("/api/v1/slas/:name").handler(this::sla);
        change(router.put("/api/v1/slas/:name"), this::putSla);
        change(router.delete("/api/v1/slas/:name"), this::deleteSla);
        router.get("/api/v1/calendars").handler(this::calendars);
        router.get("/api/v1/calendars/:name").handler(this::calendar);
        change(router.put("/api/v1/calendars/:name"), this::putCalendar);
        change(router.delete("/api/v1/calendars/:name"), this::deleteCalendar);
        router.get("/api/v1/maintenance").handler(this::maintenanceList);
        router.get("/api/v1/maintenance/:id").handler(this::maintenance);
        change(router.post("/api/v1/maintenance"), this::postMaintenance);
        change(router.delete("/api/v1/maintenance/:id"), this::endMaintenance);
    }

    private void change(Route route, Handler<RoutingContext> handler) {
        route.handler(this::authorize).handler(this::readBody).handler(handler).failureHandler(this::failed);
    }

    private void services(RoutingContext context) {
        Catalogue catalogue = store.current();
        JsonArray services = new JsonArray();
        catalogue.services().forEach(service -> services.add(serviceJson(catalogue, service)));
        json(context, 200, new JsonObject().put("version", catalogue.version()).put("services", services));
    }

    private void service(RoutingContext context) {
        Catalogue catalogue = store.current();
        String name = context.pathParam("name");
        catalogue.service(name).ifPresentOrElse(service -> json(context, 200, serviceJson(catalogue, service)),
                () -> JsonError.send(context, 404, "no service '" + name + "'"));
    }

    private void putService(RoutingContext context) {
        String name = context.pathParam("name");
        parse(context, body -> ServiceReader.read(body, Origin.REQUEST, Optional.of(urlName(name)),
                References.of(store.current(), store.agents())))
                .ifPresent(service -> saved(context, "/api/v1/services/", name, store.putService(service),
                        catalogue -> serviceJson(catalogue, catalogue.service(name).orElseThrow())));
    }

    private void deleteService(RoutingContext context) {
        deleted(context, store.deleteService(context.pathParam("name")));
    }

    private JsonObject serviceJson(Catalogue catalogue, Service service) {
        JsonObject json = CatalogueJson.service(service)
                .put("source", source(catalogue, catalogue.fileLayer().services(), service.name()));
        serviceFields.addTo(service, json);
        return json;
    }

    private void slas(RoutingContext context) {
        Catalogue catalogue = store.current();
        JsonArray slas = new JsonArray();
        catalogue.slas().values().forEach(sla -> slas.add(slaJson(catalogue, sla)));
        json(context, 200, new JsonObject().put("version", catalogue.version()).put("slas", slas));
    }

    private void sla(RoutingContext context) {
        Catalogue catalogue = store.current();
        String name = context.pathParam("name");
        catalogue.sla(name).ifPresentOrElse(sla -> json(context, 200, slaJson(catalogue, sla)),
                () -> JsonError.send(context, 404, "no SLA '" + name + "'"));
    }

    private void putSla(RoutingContext context) {
        String name = context.pathParam("name");
        parse(context, body -> SlaReader.read(urlName(name), body, Origin.REQUEST,
                References.of(store.current(), store.agents())))
                .ifPresent(sla -> saved(context, "/api/v1/slas/", name, store.putSla(sla),
                        catalogue -> slaJson(catalogue, catalogue.sla(name).orElseThrow())));
    }

    private void deleteSla(RoutingContext context) {
        deleted(context, store.deleteSla(context.pathParam("name")));
    }

    private static JsonObject slaJson(Catalogue catalogue, SlaDefinition sla) {
        return CatalogueJson.sla(sla).put("source", source(catalogue, catalogue.fileLayer().slas(), sla.name()));
    }

    private void calendars(RoutingContext context) {
        Catalogue catalogue = store.current();
        JsonArray calendars = new JsonArray();
        catalogue.calendars().values().forEach(calendar -> calendars.add(calendarJson(catalogue, calendar)));
        json(context, 200, new JsonObject().put("version", catalogue.version()).put("calendars", calendars));
    }

    private void calendar(RoutingContext context) {
        Catalogue catalogue = store.current();
        String name = context.pathParam("name");
        catalogue.calendar(name).ifPresentOrElse(calendar -> json(context, 200, calendarJson(catalogue, calendar)),
                () -> JsonError.send(context, 404, "no calendar '" + name + "'"));
    }

    private void putCalendar(RoutingContext context) {
        String name = context.pathParam("name");
        parse(context, body -> CalendarReader.read(urlName(name), body, Origin.REQUEST))
                .ifPresent(calendar -> saved(context, "/api/v1/calendars/", name, store.putCalendar(calendar),
                        catalogue -> calendarJson(catalogue, catalogue.calendar(name).orElseThrow())));
    }

    private void deleteCalendar(RoutingContext context) {
        deleted(context, store.deleteCalendar(context.pathParam("name")));
    }

    private static JsonObject calendarJson(Catalogue catalogue, ServiceCalendar calendar) {
        String source = calendar.name().equals(Catalogue.ALWAYS_ON) ? BUILT_IN_SOURCE
                : source(catalogue, catalogue.fileLayer().calendars(), calendar.name());
        return CatalogueJson.calendar(calendar).put("source", source);
    }

    private void maintenanceList(RoutingContext context) {
        Catalogue catalogue = store.current();
        String service = context.queryParams().get("service");
        JsonArray list = new JsonArray();
        (service == null ? catalogue.maintenance() : catalogue.maintenanceFor(service))
                .forEach(entry -> list.add(maintenanceJson(catalogue, entry)));
        json(context, 200, new JsonObject().put("version", catalogue.version()).put("maintenance", list));
    }

    private void maintenance(RoutingContext context) {
        Catalogue catalogue = store.current();
        String id = context.pathParam("id");
        catalogue.maintenanceWindow(id).ifPresentOrElse(entry -> json(context, 200, maintenanceJson(catalogue, entry)),
                () -> JsonError.send(context, 404, "no maintenance window '" + id + "'"));
    }

    private void postMaintenance(RoutingContext context) {
        parse(context, body -> MaintenanceReader.read(body, Origin.REQUEST,
                References.of(store.current(), store.agents()), store::newMaintenanceId, now()))
                .ifPresent(entry -> saved(context, "/api/v1/maintenance/", entry.id(), store.addMaintenance(entry),
                        catalogue -> maintenanceJson(catalogue,
                                catalogue.maintenanceWindow(entry.id()).orElseThrow())));
    }

    private void endMaintenance(RoutingContext context) {
        String id = context.pathParam("id");
        Optional<String> by = Optional.ofNullable(context.queryParams().get("by")).map(String::trim)
                .filter(text -> !text.isEmpty());
        store.endMaintenance(id, now(), by).onComplete(result -> {
            if (result.succeeded()) {
                Catalogue catalogue = result.result().catalogue();
                json(context, 200, maintenanceJson(catalogue, catalogue.maintenanceWindow(id).orElseThrow()));
            } else {
                refused(context, result.cause());
            }
        });
    }

    private JsonObject maintenanceJson(Catalogue catalogue, MaintenanceEntry entry) {
        return CatalogueJson.maintenance(entry)
                .put("status", entry.status(clock.millis()).name().toLowerCase(Locale.ROOT))
                .put("source", source(catalogue, catalogue.fileLayer().maintenance(), entry.id()));
    }

    private void authorize(RoutingContext context) {
        new BearerGuard(adminToken, "changes through the API are disabled: set api.admin_token (or "
                + "api.admin_token_sha256) in " + store.current().fileName() + " and restart the collector; "
                + "reads need no token", "the admin token").handle(context);
    }

    // Vert.x Web refuses a BodyHandler after user handlers on one route; called from one, it reads the body
    // only once the request is authorized.
    private void readBody(RoutingContext context) {
        bodyHandler.handle(context);
    }

    private void failed(RoutingContext context) {
        if (context.statusCode() == 413) {
            JsonError.send(context, 413, "the body exceeds the limit of " + MAX_BODY_BYTES + " bytes");
            return;
        }
        LOG.error("Catalogue request {} {} failed", context.request().method(), context.request().path(),
                context.failure());
        JsonError.send(context, 500, "internal error; nothing was changed");
    }

    /** The item the body describes, or empty after answering 400. */
    private <T> Optional<T> parse(RoutingContext context, Function<ConfigNode, T> reader) {
        Buffer buffer = context.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            JsonError.send(context, 400, "the body must be a JSON object");
            return Optional.empty();
        }
        Object value;
        try {
            value = Json.decodeValue(buffer);
        } catch (DecodeException e) {
            Throwable detail = e.getCause() == null ? e : e.getCause();
            String message = detail.getMessage() == null ? "" : detail.getMessage().lines().findFirst().orElse("");
            JsonError.send(context, 400, "the body is not valid JSON: " + message);
            return Optional.empty();
        }
        if (!(value instanceof JsonObject json)) {
            String kind = value instanceof JsonArray ? "an array" : value == null ? "null" : "a single value";
            JsonError.send(context, 400, "the body must be a JSON object, not " + kind);
            return Optional.empty();
        }
        Optional<String> environment = environmentReference(json, "");
        if (environment.isPresent()) {
            JsonError.send(context, 400, environment.get() + " must not contain '${': values sent to the API are "
                    + "never read from the environment");
            return Optional.empty();
        }
        try {
            return Optional.of(reader.apply(ConfigNode.parse(BODY, CanonicalJson.write(json), variable -> null)));
        } catch (ConfigException e) {
            JsonError.send(context, 400, BODY_POSITION.matcher(e.getMessage()).replaceAll(""));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            JsonError.send(context, 400, e.getMessage());
            return Optional.empty();
        }
    }

    /** The path of the first string holding {@code ${}: the readers would take it for a variable. */
    private static Optional<String> environmentReference(Object value, String path) {
        if (value instanceof JsonObject object) {
            for (Map.Entry<String, Object> entry : object) {
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (entry.getKey().contains("${")) {
                    return Optional.of(child);
                }
                Optional<String> found = environmentReference(entry.getValue(), child);
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                Optional<String> found = environmentReference(array.getValue(i), path + "[" + i + "]");
                if (found.isPresent()) {
                    return found;
                }
            }
        } else if (value instanceof String text && text.contains("${")) {
            return Optional.of(path);
        }
        return Optional.empty();
    }

    private static String urlName(String name) {
        if (!Catalogue.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("the name in the URL must be " + ItemNames.SHAPE + " (was '" + name
                    + "')");
        }
        return name;
    }

    private void saved(RoutingContext context, String collection, String name, Future<Saved> saved,
            Function<Catalogue, JsonObject> body) {
        saved.onComplete(result -> {
            if (result.failed()) {
                refused(context, result.cause());
                return;
            }
            if (result.result().created()) {
                context.response().putHeader("Location", collection + name);
            }
            json(context, result.result().created() ? 201 : 200, body.apply(result.result().catalogue()));
        });
    }

    private static void deleted(RoutingContext context, Future<Catalogue> deleted) {
        deleted.onComplete(result -> {
            if (result.failed()) {
                refused(context, result.cause());
                return;
            }
            context.response().setStatusCode(204).end();
        });
    }

    private static void refused(RoutingContext context, Throwable cause) {
        if (cause instanceof CatalogueRefusal refusal) {
            int status = switch (refusal.reason()) {
                case INVALID -> 400;
                case NOT_FOUND -> 404;
                case READ_ONLY, CONFLICT -> 409;
            };
            JsonError.send(context, status, refusal.getMessage());
            return;
        }
        JsonError.send(context, 500, cause.getMessage() + "; nothing was changed");
    }

    // Epoch milliseconds, like every time the collector keeps.
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static String source(Catalogue catalogue, Map<String, ?> fileItems, String name) {
        return fileItems.containsKey(name) ? catalogue.fileName() : API_SOURCE;
    }

    private static void json(RoutingContext context, int status, JsonObject body) {
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }
}
