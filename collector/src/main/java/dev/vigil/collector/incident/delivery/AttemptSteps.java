package dev.vigil.collector.incident.delivery;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The requests of one attempt that takes more than one (look the ticket up, then create or update it):
 * each step is classified by {@link HttpVerdict}, and the first step that is not delivered ends the
 * attempt with its result, labelled with the step, so later steps do not run.
 *
 * <p>A step ends the attempt by failing the attempt's future with a private exception that carries the
 * result; {@link #result(Future)} turns the chain back into a future that never fails, as
 * {@link IncidentSink#send} must return.
 */
public final class AttemptSteps {
    private AttemptSteps() {
    }

    /**
     * The step's response when {@link HttpVerdict} counts it delivered; otherwise a failed future that
     * ends the attempt with the verdict, its error prefixed with {@code step}.
     *
     * @param step what the step does, for the error: "lookup", "create", "transitions of OPS-12"
     * @param done the step's exchange, as {@link SinkHttp#send} completed it
     */
    public static Future<SinkResponse> check(String step, AsyncResult<SinkResponse> done, InstantSource clock) {
        SendResult verdict = done.succeeded() ? HttpVerdict.of(done.result(), clock)
                : HttpVerdict.ofFailure(done.cause());
        if (verdict instanceof SendResult.Delivered) {
            return Future.succeededFuture(done.result());
        }
        return Future.failedFuture(new Stop(verdict.withError(error -> step + ": " + error)));
    }

    /**
     * What ends the attempt when a step's 2xx answer cannot be read (a proxy's login page, a sleeping
     * instance): tried again. Throw it, or fail the chain with it.
     */
    public static RuntimeException unreadable(String step, SinkResponse response) {
        return new Stop(new SendResult.Retry(step + ": unreadable answer, " + response.describe(), Optional.empty()));
    }

    /**
     * The attempt's result: {@code attempt}'s own, or the result of the step that ended it. Any other
     * failure is a bug in the sink, retried rather than lost.
     */
    public static Future<SendResult> result(Future<SendResult> attempt) {
        return attempt.recover(failure -> Future.succeededFuture(failure instanceof Stop stop ? stop.result
                : new SendResult.Retry("unexpected failure: " + failure, Optional.empty())));
    }

    /** Ends an attempt, carrying its result; no stack trace, as it is not an error of the collector. */
    private static final class Stop extends RuntimeException {
        private final transient SendResult result;

        private Stop(SendResult result) {
            super(null, null, false, false);
            this.result = result;
        }
    }
}
