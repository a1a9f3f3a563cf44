package dev.vigil.collector.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The collector's error answer: a status and {@code {"error": "<message>"}} as JSON. */
public final class JsonError {
    private JsonError() {
    }

    /** Ends the response of {@code context} with {@code status} and {@code message}. */
    public static void send(RoutingContext context, int status, String message) {
        if (context.response().ended()) {
            return;
        }
        context.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
